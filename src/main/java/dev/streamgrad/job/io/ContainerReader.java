package dev.streamgrad.job.io;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.flink.DeadLetters;
import dev.streamgrad.records.AvroBinaryCheck;
import dev.streamgrad.records.InvalidRecordException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.types.Either;

/**
 * Reads one Avro container file block by block, and survives damage: a block whose header, length,
 * compressed data or sync marker is wrong, or that the file's end cuts short, becomes a dead letter
 * (the file, the byte offset and length of the damaged region, the reason, the first bytes) and
 * reading goes on after the next sync marker. Records are decoded straight into the generated classes
 * with the file's writer schema resolved against the reader's (schema evolution, as Avro defines it).
 *
 * <p>{@code readers} makes the datum reader for the file's writer schema: the generated classes (the
 * source) or generic records with the file's own schema ({@code inspect}).
 *
 * <p>Layout (Avro 1.11 spec): a header ({@code Obj\u0001}, metadata map, 16-byte sync marker), then
 * blocks of {@code count} (long), {@code size} (long), {@code size} bytes of {@code count} encoded
 * datums (compressed by the header's codec), and the sync marker again.
 *
 * <p>Each batch is one block (or one damaged region), positioned at the block's start with the
 * number of elements already emitted from it, so that a restore re-reads that block and skips what
 * was emitted; a damaged block is read again, becomes the same dead letter, and is skipped.
 */
final class ContainerReader<T> implements BulkFormat.Reader<Either<DeadLetter, T>> {
  private static final byte[] MAGIC = {'O', 'b', 'j', 1};
  /** Bytes of a damaged region that a dead letter carries. */
  static final int PAYLOAD_PREFIX = 256;

  private final String file;
  private final String stage;
  private final ContainerInput in;
  private final int maxBlockBytes;
  private final Function<Schema, DatumReader<T>> readers;
  private final String typeName;
  private Schema writer;
  private byte[] sync;
  private BlockCodec codec;
  private DatumReader<T> datumReader;
  private BinaryDecoder decoder;
  private byte[] block = new byte[0];
  private final FSDataInputStream stream;
  /** Elements to drop after a restore (emitted before the checkpoint). */
  private long pendingSkip;
  /** The file is unreadable (its header is damaged): this dead letter is all it yields. */
  private DeadLetter headerDamage;
  private boolean done;
  /** Where the block being read ends if its size field is right (-1 before the size is read). */
  private long declaredEnd;
  /** Released batches' records to decode into, or null (see {@link #recyclingRecords}). */
  private RecycledRecords<T> recycled;

  /**
   * Opens {@code stream} (positioned at the file's start) and reads the header; a damaged header
   * becomes the file's only element, a dead letter. {@code (offset, skip)} is the position to restore
   * (a block's start and the elements already emitted from it), or {@code (0, 0)}.
   */
  ContainerReader(String file, String stage, FSDataInputStream stream, long fileLength,
      Function<Schema, DatumReader<T>> readers, String typeName, int maxBlockBytes, long offset, long skip)
      throws IOException {
    this.file = file;
    this.stage = stage;
    this.readers = readers;
    this.typeName = typeName;
    this.maxBlockBytes = maxBlockBytes;
    this.stream = stream;
    this.in = new ContainerInput(stream, 0, fileLength);
    try {
      readHeader();
    } catch (IOException | RuntimeException e) {
      headerDamage = dead(0, fileLength, "not a readable Avro container file: " + message(e));
    }
    if (headerDamage == null && offset > 0) {
      in.seek(offset);
    }
    pendingSkip = skip;
  }

  /**
   * Decodes into the records of batches the consumer released ({@link RecycledRecords}): for a
   * source whose records are done with once they have been passed on.
   */
  ContainerReader<T> recyclingRecords() {
    recycled = new RecycledRecords<>();
    return this;
  }

  @Override
  public BulkFormat.RecordIterator<Either<DeadLetter, T>> readBatch() throws IOException {
    while (true) {
      long start;
      List<Either<DeadLetter, T>> elements;
      if (headerDamage != null) {
        if (done) {
          return null;
        }
        done = true;
        start = 0;
        elements = List.of(Either.Left(headerDamage));
      } else {
        if (in.atEnd()) {
          return null;
        }
        start = in.position();
        elements = readBlock(start);
      }
      // after a restore: drop what was emitted before the checkpoint
      int skip = (int) Math.min(pendingSkip, elements.size());
      pendingSkip -= skip;
      if (skip < elements.size()) {
        Iterator<Either<DeadLetter, T>> emitted = elements.subList(skip, elements.size()).iterator();
        // the block's records (skipped ones too) return for the next blocks when the batch is released
        return recycled == null ? new IteratorResultIterator<>(emitted, start, skip)
            : new IteratorResultIterator<>(emitted, start, skip, recycled.recycler(recordsOf(elements)));
      }
    }
  }

  /** The records among {@code elements} (not the dead letters). */
  private static <T> List<T> recordsOf(List<Either<DeadLetter, T>> elements) {
    List<T> records = new ArrayList<>(elements.size());
    for (Either<DeadLetter, T> e : elements) {
      if (e.isRight()) {
        records.add(e.right());
      }
    }
    return records;
  }

  /** The elements of the block at {@code start}: its records, or dead letters for what is damaged. */
  private List<Either<DeadLetter, T>> readBlock(long start) throws IOException {
    long count;
    long size;
    ByteBuffer data;
    boolean markerIntact;
    declaredEnd = -1;
    try {
      count = in.readLong();
      size = in.readLong();
      long room = in.remaining() - sync.length;
      if (count < 0 || size < 0 || count > size) {
        throw new IOException("block header says " + count + " records in " + size + " bytes");
      }
      if (size > room) {
        throw new EOFException("block of " + size + " bytes, but the file ends " + Math.max(0, room)
            + " bytes after its header (truncated or a damaged length)");
      }
      declaredEnd = in.position() + size + sync.length;
      if (size > maxBlockBytes) {
        throw new IOException("block of " + size + " bytes (" + count + " records) is larger than the limit of "
            + maxBlockBytes + " bytes (a quarter of this task's heap); its records are not read");
      }
      if (block.length < size) {
        block = new byte[(int) size];
      }
      in.readFully(block, 0, (int) size);
      byte[] marker = new byte[sync.length];
      in.readFully(marker, 0, marker.length);
      markerIntact = Arrays.equals(marker, sync);
      data = codec.decompress(block, (int) size, maxBlockBytes);
    } catch (IOException | RuntimeException e) {
      return List.of(Either.Left(resync(start, message(e))));
    }
    long next = in.position();
    List<Either<DeadLetter, T>> out = decodeRecords(start, (int) count, data);
    if (!markerIntact) {
      if (out.size() == 1 && out.get(0).isLeft() && in.position() != next) {
        // the records did not fit the block either: its length was damaged too (resynced already)
        return out;
      }
      out = new ArrayList<>(out);
      out.add(Either.Left(dead(next - sync.length, sync.length, "sync marker after the block at offset "
          + start + " is damaged; its " + count + " records decoded exactly and were kept")));
    }
    return out;
  }

  /**
   * The block's records. The block is taken whole or not at all: when any record's structure does
   * not fit (a length or count past the block's end, a bad union branch) or bytes are left over, the
   * data is damaged and none of its records is trusted: the block becomes one dead letter. A record
   * that is well formed but does not resolve to {@code T} is a dead letter of its own.
   */
  private List<Either<DeadLetter, T>> decodeRecords(long start, int count, ByteBuffer data) throws IOException {
    byte[] bytes = data.array();
    int first = data.arrayOffset() + data.position();
    int limit = data.arrayOffset() + data.limit();
    int[] ends = new int[count];
    int off = first;
    for (int k = 0; k < count; k++) {
      try {
        off = AvroBinaryCheck.datumEnd(writer, bytes, off, limit);
        ends[k] = off;
      } catch (InvalidRecordException e) {
        return List.of(Either.Left(resync(start, "record " + k + " of the block's " + count + " is damaged ("
            + e.reason() + "): the block's records are not trusted")));
      }
    }
    if (off != limit) {
      return List.of(Either.Left(resync(start, (limit - off) + " bytes follow the block's " + count
          + " records: the block's records are not trusted")));
    }
    List<Either<DeadLetter, T>> out = new ArrayList<>(count + 1);
    List<T> reuse = recycled == null ? List.of() : recycled.take();
    off = first;
    for (int k = 0; k < count; k++) {
      try {
        decoder = DecoderFactory.get().binaryDecoder(bytes, off, ends[k] - off, decoder);
        // a record that fails half-way is dropped with its bytes' dead letter, not recycled
        T record = datumReader.read(k < reuse.size() ? reuse.get(k) : null, decoder);
        out.add(Either.Right(record));
      } catch (IOException | RuntimeException e) {
        out.add(Either.Left(DeadLetters.ofBytes(stage, where(start) + ": record " + k + " of " + count
            + " does not decode as " + typeName + ": " + message(e), null,
            Arrays.copyOfRange(bytes, off, ends[k]))));
      }
      off = ends[k];
    }
    return out;
  }

  /**
   * A dead letter for the damaged region from {@code start} to the next sync marker (or the end of the
   * file), where reading resumes.
   */
  private DeadLetter resync(long start, String reason) throws IOException {
    long end;
    boolean found;
    if (declaredEnd > start && blockStartsAt(declaredEnd)) {
      // the block's length was right (its data or marker is what is damaged): the next block is intact
      in.seek(declaredEnd);
      end = declaredEnd;
      found = true;
    } else {
      in.seek(start + 1);
      found = in.skipPast(sync);
      end = found ? in.position() : in.fileLength();
    }
    return dead(start, end - start, reason + (found ? "; reading resumes at offset " + end
        : "; no sync marker follows: the rest of the file is lost"));
  }

  /**
   * Whether a well-formed block starts at {@code p} (a plausible count and size, and the header's sync
   * marker right after its data), or {@code p} is the file's end.
   */
  private boolean blockStartsAt(long p) throws IOException {
    if (p == in.fileLength()) {
      return true;
    }
    if (p > in.fileLength()) {
      return false;
    }
    try {
      in.seek(p);
      long count = in.readLong();
      long size = in.readLong();
      if (count < 0 || size < 0 || count > size || size > in.remaining() - sync.length) {
        return false;
      }
      in.seek(in.position() + size);
      byte[] marker = new byte[sync.length];
      in.readFully(marker, 0, marker.length);
      return Arrays.equals(marker, sync);
    } catch (IOException e) {
      return false;
    }
  }

  private DeadLetter dead(long offset, long length, String reason) throws IOException {
    return DeadLetters.ofBytes(stage, where(offset) + " (" + length + " bytes damaged): " + reason, null,
        in.peek(offset, (int) Math.min(PAYLOAD_PREFIX, length)));
  }

  private String where(long offset) {
    return file + " at byte offset " + offset;
  }

  private void readHeader() throws IOException {
    byte[] magic = new byte[4];
    in.readFully(magic, 0, 4);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException("it does not start with Avro's magic bytes 'Obj' 1");
    }
    String schema = null;
    String codecName = null;
    for (long n = in.readLong(); n != 0; n = in.readLong()) {
      if (n < 0) {
        n = -n;
        in.readLong(); // the block's byte size
      }
      for (long i = 0; i < n; i++) {
        String key = new String(bytes(), StandardCharsets.UTF_8);
        byte[] value = bytes();
        if (key.equals("avro.schema")) {
          schema = new String(value, StandardCharsets.UTF_8);
        } else if (key.equals("avro.codec")) {
          codecName = new String(value, StandardCharsets.UTF_8);
        }
      }
    }
    sync = new byte[16];
    in.readFully(sync, 0, 16);
    if (schema == null) {
      throw new IOException("its header has no avro.schema");
    }
    writer = new Schema.Parser().setValidateDefaults(false).parse(schema);
    codec = BlockCodec.of(codecName);
    datumReader = readers.apply(writer);
  }

  /** A metadata string or bytes value, at most 1 MB (a header is small; a damaged length is not trusted). */
  private byte[] bytes() throws IOException {
    long n = in.readLong();
    if (n < 0 || n > Math.min(1 << 20, in.remaining())) {
      throw new IOException("header metadata length " + n + " at offset " + in.position() + " is not plausible");
    }
    byte[] b = new byte[(int) n];
    in.readFully(b, 0, b.length);
    return b;
  }

  private static byte[] prefix(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, Math.min(to, from + PAYLOAD_PREFIX));
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return e instanceof EOFException ? "file ends inside it (truncated): " + m
        : m == null ? e.getClass().getSimpleName() : m;
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
