package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.io.RecordFiles;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training job over a folder with a good file and a damaged one: the job ends normally, every
 * record of the good file and of the damaged file's intact blocks is trained on (the trainer's
 * record counts say so), and the damage is in the dead letters with file and offset.
 */
class DamagedFilesITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir
  Path tmp;

  private static GeneratorSpec spec(long count) {
    double[][] f = GeneratorSpec.drawTrueFilter(7, 3, 3);
    return new GeneratorSpec(count, 0, List.of("alpha", "beta"), new int[] {8, 8}, 42, 0.01, DType.FLOAT64,
        new double[][] {f[0], f[1], f[2]}, f[3][0]);
  }

  @Test
  void goodFilesAndIntactBlocksAreTrainedAndDamageIsDeadLettered() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    // two files, one model each, blocks of a few records (1,000-byte sync interval)
    List<Path> files = RecordFiles.writeLabeled(spec(400), in, 2, CodecFactory.deflateCodec(6), 1000);
    Path damaged = files.get(1);
    String model = firstModel(damaged);
    long[] blocks = blockStarts(damaged);
    long lost = recordsIn(damaged, blocks, 3) + recordsIn(damaged, blocks, blocks.length - 1);
    try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw")) {
      raf.seek(blocks[3] + 12); // inside the compressed data of block 3
      raf.write(new byte[] {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55});
      raf.setLength(blocks[blocks.length - 1] + 7); // and cut inside the last block
    }

    AvroFiles.Cli r = AvroFiles.cli("run", "jobs/train-conv2d.yaml", "--set", "source={type: avro-file, path: '" + in
        + "'}", "--set", "sink.path=" + tmp.resolve("out"), "--set", "train.snapshotEvery=1000");
    assertThat(r.code()).as(r.err()).isZero();

    Map<String, Long> trained = AvroFiles.read(tmp.resolve("out"), FilterSnapshot.class).stream()
        .collect(Collectors.toMap(FilterSnapshot::getModel, FilterSnapshot::getRecords, Math::max));
    String other = model.equals("alpha") ? "beta" : "alpha";
    assertThat(trained).containsEntry(other, 200L).containsEntry(model, 200L - lost);
    List<DeadLetter> dead = AvroFiles.read(tmp.resolve("out-dead-letters"), DeadLetter.class);
    assertThat(dead).hasSize(2).allSatisfy(d -> assertThat(d.getStage()).isEqualTo("source"));
    assertThat(dead).extracting(DeadLetter::getReason).anySatisfy(s -> assertThat(s)
        .contains(damaged.getFileName().toString()).contains("at byte offset " + blocks[3]));
    assertThat(dead).extracting(DeadLetter::getReason).anySatisfy(s -> assertThat(s)
        .contains("at byte offset " + blocks[blocks.length - 1]).contains("truncated"));
  }

  private static String firstModel(Path f) throws Exception {
    try (DataFileReader<LabeledTensorRecord> r = new DataFileReader<>(f.toFile(),
        new SpecificDatumReader<>(LabeledTensorRecord.class))) {
      return r.next().getModel();
    }
  }

  /** The byte offset of every block of {@code f}. */
  private static long[] blockStarts(Path f) throws Exception {
    try (DataFileReader<LabeledTensorRecord> r = new DataFileReader<>(f.toFile(),
        new SpecificDatumReader<>(LabeledTensorRecord.class))) {
      java.util.List<Long> starts = new java.util.ArrayList<>();
      starts.add(r.previousSync());
      while (r.hasNext()) {
        r.nextBlock();
        starts.add(r.previousSync());
      }
      starts.remove(starts.size() - 1); // the end of the file
      return starts.stream().sorted(Comparator.naturalOrder()).mapToLong(Long::longValue).toArray();
    }
  }

  private static long recordsIn(Path f, long[] blocks, int block) throws Exception {
    try (DataFileReader<LabeledTensorRecord> r = new DataFileReader<>(f.toFile(),
        new SpecificDatumReader<>(LabeledTensorRecord.class))) {
      r.seek(blocks[block]);
      r.hasNext();
      return r.getBlockCount();
    }
  }
}
