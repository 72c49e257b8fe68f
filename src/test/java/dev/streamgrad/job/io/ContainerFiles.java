package dev.streamgrad.job.io;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.types.Either;

/** Test files of labeled records written block by block, and a way to read them as the source does. */
final class ContainerFiles {
  private ContainerFiles() {}

  /** What reading a file gave: the records and dead letters in order, and each element's position. */
  record Read(List<LabeledTensorRecord> records, List<DeadLetter> dead, List<CheckpointedPosition> positions) {}

  static GeneratorSpec spec(long count, int size) {
    double[][] f = GeneratorSpec.drawTrueFilter(7, 3, 3);
    return new GeneratorSpec(count, 0, List.of("a", "b", "c"), new int[] {size, size}, 5, 0.01, DType.FLOAT32,
        new double[][] {f[0], f[1], f[2]}, f[3][0]);
  }

  /**
   * Writes records {@code 0..n-1} of {@code spec} with a block every {@code perBlock} records.
   *
   * @return the byte offset where each block starts, and the file's length last
   */
  static List<Long> write(File f, GeneratorSpec spec, int n, int perBlock, CodecFactory codec) throws IOException {
    SyntheticRecords records = new SyntheticRecords(spec);
    List<Long> blocks = new ArrayList<>();
    try (DataFileWriter<LabeledTensorRecord> w =
        new DataFileWriter<>(new SpecificDatumWriter<>(LabeledTensorRecord.class))) {
      w.setCodec(codec);
      w.setSyncInterval(1 << 30);
      w.create(LabeledTensorRecord.getClassSchema(), f);
      for (int i = 0; i < n; i++) {
        if (i % perBlock == 0) {
          blocks.add(w.sync());
        }
        w.append(records.labeled(i));
      }
      w.flush();
      blocks.add(f.length());
    }
    return blocks;
  }

  static Read read(File f) throws IOException {
    return read(f, null);
  }

  /** Reads {@code f} with a block limit of {@code maxBlockBytes}. */
  static Read readWithBlockLimit(File f, int maxBlockBytes) throws IOException {
    org.apache.flink.core.fs.FSDataInputStream in = new Path(f.toURI()).getFileSystem().open(new Path(f.toURI()));
    return drain(new ContainerReader<>(f.getPath(), "source", in, f.length(),
        AvroContainerFormat.specificReaders(LabeledTensorRecord.class), "LabeledTensorRecord", maxBlockBytes, 0, 0));
  }

  /** Reads {@code f} from the start, or from a checkpointed {@code position}. */
  static Read read(File f, CheckpointedPosition position) throws IOException {
    AvroContainerFormat<LabeledTensorRecord> format = new AvroContainerFormat<>(LabeledTensorRecord.class, "source");
    FileSourceSplit split = new FileSourceSplit("0", new Path(f.toURI()), 0, f.length(), 0, f.length(),
        new String[0], position);
    return drain(position == null
        ? format.createReader(new Configuration(), split) : format.restoreReader(new Configuration(), split));
  }

  private static Read drain(BulkFormat.Reader<Either<DeadLetter, LabeledTensorRecord>> reader) throws IOException {
    List<LabeledTensorRecord> records = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    List<CheckpointedPosition> positions = new ArrayList<>();
    try (BulkFormat.Reader<Either<DeadLetter, LabeledTensorRecord>> r = reader) {
      for (BulkFormat.RecordIterator<Either<DeadLetter, LabeledTensorRecord>> batch = r.readBatch(); batch != null;
          batch = r.readBatch()) {
        for (RecordAndPosition<Either<DeadLetter, LabeledTensorRecord>> e = batch.next(); e != null;
            e = batch.next()) {
          if (e.getRecord().isRight()) {
            // a copy: the source's reader decodes the next blocks into a released batch's records
            records.add(SpecificData.get().deepCopy(LabeledTensorRecord.getClassSchema(), e.getRecord().right()));
          } else {
            dead.add(e.getRecord().left());
          }
          positions.add(new CheckpointedPosition(e.getOffset(), e.getRecordSkipCount()));
        }
        batch.releaseBatch();
      }
    }
    return new Read(records, dead, positions);
  }
}
