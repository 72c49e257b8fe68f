package dev.streamgrad.kafka;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.FastReaderBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type: {@code C3 01}, the writer schema's 8-byte
 * little-endian CRC-64-AVRO fingerprint, then the Avro binary body.
 *
 * <p>Decoding looks the fingerprint up in {@link SchemaVersions} and resolves the writer version
 * to the current schema of {@code type}, so values written with any known older version still
 * decode. Every failure is an {@link UndecodableException} with a precise reason (bad header,
 * unknown fingerprint, a record of another type, truncation, corrupt lengths, trailing bytes);
 * nothing else escapes. Instances are serializable for Flink functions; the Avro machinery is
 * rebuilt lazily on the task side.
 */
public final class SingleObjectCodec<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Length of the header: 2 marker bytes and the 8-byte fingerprint. */
  public static final int HEADER_LENGTH = 10;

  private final Class<T> type;
  private transient Schema readerSchema;
  private transient SpecificData model;
  private transient SchemaVersions versions;
  private transient BinaryMessageEncoder<T> encoder;
  private transient FastReaderBuilder readerBuilder;
  private transient Map<Long, WriterVersion<T>> readers;
  private transient BinaryDecoder reusedDecoder;

  private SingleObjectCodec(Class<T> type) {
    this.type = type;
  }

  /** A codec for a generated record class, resolving against the bundled schema versions. */
  public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
    return new SingleObjectCodec<>(type);
  }

  /** A codec that resolves writer schemas against {@code versions} instead of the bundled ones. */
  public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type, SchemaVersions versions) {
    SingleObjectCodec<T> codec = new SingleObjectCodec<>(type);
    codec.versions = versions;
    return codec;
  }

  public Class<T> type() {
    return type;
  }

  private void init() {
    if (model != null) {
      return;
    }
    model = SpecificData.getForClass(type);
    readerSchema = model.getSchema(type);
    if (versions == null) {
      versions = SchemaVersions.bundled();
    }
    encoder = new BinaryMessageEncoder<>(model, readerSchema);
    readerBuilder = new FastReaderBuilder(model);
    readers = new HashMap<>();
  }

  /** Encodes one record (header and body). */
  public byte[] encode(T record) {
    init();
    try {
      return encoder.encode(record).array();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
    }
  }

  /** Decodes one value, or says precisely why it cannot. */
  public T decode(byte[] value) throws UndecodableException {
    init();
    long fingerprint = fingerprint(value, type.getSimpleName());
    WriterVersion<T> writer = readers.get(fingerprint);
    if (writer == null) {
      writer = readerFor(fingerprint);
    }
    UndecodableException.checkBinary(writer.schema(), value, HEADER_LENGTH);
    try {
      reusedDecoder = DecoderFactory.get().binaryDecoder(
          value, HEADER_LENGTH, value.length - HEADER_LENGTH, reusedDecoder);
      return writer.reader().read(null, reusedDecoder);
    } catch (IOException | RuntimeException e) {
      // the validator accepted the bytes, so this is a value Avro rejects (e.g. bad UTF-8)
      throw new UndecodableException(
          "invalid " + type.getSimpleName() + " body: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The writer schema fingerprint in the single-object header of {@code value}.
   *
   * @param expected what the value should be, for the message
   */
  static long fingerprint(byte[] value, String expected) throws UndecodableException {
    if (value == null) {
      throw new UndecodableException("null value (a tombstone), expected a " + expected);
    }
    if (value.length >= 2 && ((value[0] & 0xff) != 0xC3 || value[1] != 0x01)) {
      throw new UndecodableException(String.format(
          "not Avro single-object encoding: starts with %02X %02X, expected C3 01",
          value[0] & 0xff, value[1] & 0xff));
    }
    if (value.length < HEADER_LENGTH) {
      throw new UndecodableException(
          value.length + " bytes, shorter than the 10-byte single-object header");
    }
    long fingerprint = 0;
    for (int i = 9; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (value[i] & 0xffL);
    }
    return fingerprint;
  }

  /** A writer schema version and the reader that resolves it to the current schema. */
  private record WriterVersion<T>(Schema schema, DatumReader<T> reader) {}

  private WriterVersion<T> readerFor(long fingerprint) throws UndecodableException {
    SchemaVersions.Version writer = versions.version(fingerprint);
    if (writer == null) {
      String known = versions.versions(readerSchema.getName()).stream()
          .map(SchemaVersions.Version::toString)
          .collect(Collectors.joining(", "));
      throw new UndecodableException(String.format(
          "unknown writer schema fingerprint %s (expected a %s; known versions: %s)",
          HexFormat.of().toHexDigits(fingerprint), type.getSimpleName(), known));
    }
    if (!writer.name().equals(readerSchema.getName())) {
      throw new UndecodableException(
          "a " + writer + " record where a " + type.getSimpleName() + " was expected");
    }
    // Avro's fast reader resolves the writer's schema against the reader's once, not per record, as
    // the avro-file source's container reader does
    WriterVersion<T> resolved;
    try {
      resolved = new WriterVersion<>(writer.schema(), readerBuilder.createDatumReader(writer.schema(), readerSchema));
    } catch (IOException | RuntimeException e) {
      throw new UndecodableException("a " + writer + " record cannot be resolved to the current "
          + type.getSimpleName() + " schema: " + e.getMessage(), e);
    }
    readers.put(fingerprint, resolved);
    return resolved;
  }
}
