package dev.streamgrad.job.io;

import dev.streamgrad.avro.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.FastReaderBuilder;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.types.Either;

/**
 * Reads a local Avro container file as the {@code avro-file} source does, damage and all, into
 * generic records with the file's own schema: what {@code inspect} prints.
 */
public final class ContainerScan {
  private ContainerScan() {}

  /** How a file read: its records, and the damaged regions (each also given to the damage consumer). */
  public record Result(long records, long damaged) {}

  /**
   * Reads {@code file}, giving each readable record to {@code records} and each damaged region (a
   * dead letter naming the file, offset and reason) to {@code damage}, in file order, until
   * {@code limit} records.
   */
  public static Result scan(Path file, long limit, Consumer<GenericRecord> records, Consumer<DeadLetter> damage)
      throws IOException {
    return scan(file, writer -> {
      try {
        return new FastReaderBuilder(GenericData.get()).createDatumReader(writer, writer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "its own schema", limit, records, damage);
  }

  /**
   * {@link #scan(Path, long, Consumer, Consumer)} into the generated class {@code type}: each file's
   * schema resolved against {@code type}'s, as the {@code avro-file} source reads (a file written
   * with an older version of the schema gets the new fields' defaults).
   */
  public static <T> Result scan(Path file, Class<T> type, long limit, Consumer<T> records, Consumer<DeadLetter> damage)
      throws IOException {
    return scan(file, AvroContainerFormat.specificReaders(type), type.getSimpleName(), limit, records, damage);
  }

  private static <T> Result scan(Path file, Function<Schema, DatumReader<T>> readers, String typeName, long limit,
      Consumer<T> records, Consumer<DeadLetter> damage) throws IOException {
    org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(file.toAbsolutePath().toUri());
    FileSystem fs = path.getFileSystem();
    long length = fs.getFileStatus(path).getLen();
    FSDataInputStream in = fs.open(path);
    long n = 0;
    long dead = 0;
    try (ContainerReader<T> reader = new ContainerReader<>(file.toString(), "inspect", in, length, readers, typeName,
        AvroContainerFormat.maxBlockBytes(), 0, 0)) {
      for (BulkFormat.RecordIterator<Either<DeadLetter, T>> batch = reader.readBatch(); batch != null
          && n < limit; batch = reader.readBatch()) {
        for (RecordAndPosition<Either<DeadLetter, T>> e = batch.next(); e != null && n < limit;
            e = batch.next()) {
          if (e.getRecord().isRight()) {
            records.accept(e.getRecord().right());
            n++;
          } else {
            damage.accept(e.getRecord().left());
            dead++;
          }
        }
      }
    }
    return new Result(n, dead);
  }
}
