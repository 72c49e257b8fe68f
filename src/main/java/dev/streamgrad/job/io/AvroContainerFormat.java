package dev.streamgrad.job.io;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.records.RecordTypeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.FastReaderBuilder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;

/**
 * Avro container files for Flink's {@code FileSource}: each file is one split, read in order by one
 * reader ({@link ContainerReader}), which is what keeps a model's records in order when they sit in
 * one file; several files are read in parallel. It yields either a record of the generated class
 * {@code T} or, for a damaged part of a file, a dead letter ({@link SplitDeadLetters} sends those to
 * the side output), so that damage never fails the job.
 */
public final class AvroContainerFormat<T extends SpecificRecordBase>
    implements BulkFormat<Either<DeadLetter, T>, FileSourceSplit> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String stage;

  /**
   * @param stage the name dead letters carry as their stage (the source operator's uid)
   */
  public AvroContainerFormat(Class<T> type, String stage) {
    this.type = type;
    this.stage = stage;
  }

  /**
   * The largest block (compressed or not) a reader accepts: a quarter of the heap, so that a block,
   * its decompressed copy and the records decoded from it fit with room to spare; a larger block is
   * a dead letter, not an {@code OutOfMemoryError}.
   */
  static int maxBlockBytes() {
    return (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4);
  }

  @Override
  public Reader<Either<DeadLetter, T>> createReader(Configuration config, FileSourceSplit split) throws IOException {
    return open(split, 0, 0);
  }

  @Override
  public Reader<Either<DeadLetter, T>> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
    CheckpointedPosition p = split.getReaderPosition().orElse(new CheckpointedPosition(0, 0));
    return p.getOffset() == CheckpointedPosition.NO_OFFSET ? open(split, 0, 0)
        : open(split, p.getOffset(), p.getRecordsAfterOffset());
  }

  private Reader<Either<DeadLetter, T>> open(FileSourceSplit split, long offset, long skip) throws IOException {
    FileSystem fs = split.path().getFileSystem();
    long length = fs.getFileStatus(split.path()).getLen();
    FSDataInputStream in = fs.open(split.path());
    try {
      ContainerReader<T> reader = new ContainerReader<>(split.path().toString(), stage, in, length,
          specificReaders(type), type.getSimpleName(), maxBlockBytes(), offset, skip);
      // labeled records only ever go on through a keyBy (the trainer's, the scorer's), serialised
      // before their batch is released: they can be decoded into again (RecycledRecords); unlabeled
      // ones may reach a chained operator that keeps them
      return type == LabeledTensorRecord.class ? reader.recyclingRecords() : reader;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Datum readers into the generated class {@code type}, resolving a file's writer schema against it. */
  static <T> Function<Schema, DatumReader<T>> specificReaders(Class<T> type) {
    SpecificData data = SpecificData.getForClass(type);
    Schema reader = data.getSchema(type);
    // Avro's fast reader resolves the writer's schema against the reader's once, not per record
    return writer -> {
      try {
        return new FastReaderBuilder(data).createDatumReader(writer, reader);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<Either<DeadLetter, T>> getProducedType() {
    return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), RecordTypeInfo.streamType(type));
  }
}
