package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code avro-file} source and sink: a folder or a glob of container files trains exactly the
 * filters the generator's stream of the same records trains (each model's records in one file keep
 * their order with two readers), and bad records in a file become dead letters next to the sink.
 */
class AvroFileIoITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final String SPEC = String.join("\n",
      "name: file-train",
      "parallelism: 2",
      "source: {type: generator, count: 1200, keys: [a, b], shape: [12, 10], seed: 21, trueFilter: {seed: 4}}",
      "layer: {type: conv2d, kernel: [3, 2], init: {seed: 5}}",
      "train: {optimizer: {type: sgd, lr: 0.02, momentum: 0.5}, snapshotEvery: 200}",
      "sink: {type: avro-file, path: unused}",
      "");

  @TempDir
  Path tmp;

  private Path spec() throws IOException {
    return Files.writeString(tmp.resolve("file-train.yaml"), SPEC);
  }

  /** Writes the generator's records, each model's into its own file, in order. */
  private void writeModelFiles(Path dir, List<LabeledTensorRecord> extra) throws Exception {
    GeneratorSpec g = (GeneratorSpec) JobSpecParser.parse(spec(), List.of()).source();
    SyntheticRecords gen = new SyntheticRecords(g);
    Files.createDirectories(dir);
    for (int m = 0; m < 2; m++) {
      try (DataFileWriter<LabeledTensorRecord> w = new DataFileWriter<>(new SpecificDatumWriter<>(LabeledTensorRecord.class))) {
        w.create(LabeledTensorRecord.getClassSchema(), dir.resolve("model-" + g.keys().get(m) + ".avro").toFile());
        for (long i = m; i < g.count(); i += 2) {
          w.append(gen.labeled(i));
          if (m == 0 && i == 100) {
            for (LabeledTensorRecord r : extra) {
              w.append(r);
            }
          }
        }
      }
    }
  }

  private Map<String, FilterSnapshot> finalSnapshots(Path dir) throws IOException {
    Map<String, FilterSnapshot> last = new TreeMap<>();
    for (FilterSnapshot s : AvroFiles.read(dir, FilterSnapshot.class)) {
      last.merge(s.getModel(), s, (x, y) -> y.getVersion() > x.getVersion() ? y : x);
    }
    return last;
  }

  private void run(String... args) {
    AvroFiles.Cli r = AvroFiles.cli(args);
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
  }

  @Test
  void aFolderOrAGlobOfFilesTrainsTheSameFiltersAsTheGeneratorStream() throws Exception {
    Path in = tmp.resolve("in");
    writeModelFiles(in, List.of());
    String spec = spec().toString();
    run("run", spec, "--set", "sink.path=" + tmp.resolve("gen"));
    run("run", spec, "--set", "source={type: avro-file, path: " + in + "}", "--set", "sink.path=" + tmp.resolve("folder"));
    run("run", spec, "--set", "source={type: avro-file, path: '" + in + "/model-*.avro'}",
        "--set", "sink.path=" + tmp.resolve("glob"));

    Map<String, FilterSnapshot> gen = finalSnapshots(tmp.resolve("gen"));
    assertThat(gen).containsOnlyKeys("a", "b");
    assertThat(gen.get("a").getVersion()).isEqualTo(600);
    assertThat(finalSnapshots(tmp.resolve("folder"))).isEqualTo(gen);
    assertThat(finalSnapshots(tmp.resolve("glob"))).isEqualTo(gen);
    assertThat(AvroFiles.read(tmp.resolve("folder"), FilterSnapshot.class))
        .hasSameSizeAs(AvroFiles.read(tmp.resolve("gen"), FilterSnapshot.class));
  }

  @Test
  void badRecordsInAFileBecomeDeadLettersNextToTheSinkAndTheRestTrains() throws Exception {
    GeneratorSpec g = (GeneratorSpec) JobSpecParser.parse(spec(), List.of()).source();
    SyntheticRecords gen = new SyntheticRecords(g);
    LabeledTensorRecord shortData = gen.labeled(0);
    shortData.setSeq(9001L);
    shortData.getInput().setData(ByteBuffer.wrap(new byte[7]));
    LabeledTensorRecord nan = gen.labeled(0);
    nan.setSeq(9002L);
    ByteBuffer nanData = ByteBuffer.allocate(nan.getTarget().getData().remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    while (nanData.hasRemaining()) {
      nanData.putDouble(Double.NaN);
    }
    nan.getTarget().setData(nanData.flip());
    Path in = tmp.resolve("in");
    writeModelFiles(in, List.of(shortData, nan));

    run("run", spec().toString(), "--set", "source={type: avro-file, path: " + in + "}",
        "--set", "sink.path=" + tmp.resolve("out/snapshots"));
    List<DeadLetter> dead = AvroFiles.read(tmp.resolve("out/snapshots-dead-letters"), DeadLetter.class);
    assertThat(dead).extracting(DeadLetter::getSeq).containsExactlyInAnyOrder(9001L, 9002L);
    assertThat(dead).allSatisfy(d -> {
      assertThat(d.getKey()).isEqualTo("a");
      assertThat(d.getPayload()).isNotNull();
    });
    assertThat(dead.stream().filter(d -> d.getSeq() == 9001L).findFirst().orElseThrow().getReason())
        .contains("7 bytes");
    assertThat(dead.stream().filter(d -> d.getSeq() == 9002L).findFirst().orElseThrow().getReason())
        .containsIgnoringCase("nan");
    // records in = trained + dead: model a trained all 600 good records
    assertThat(finalSnapshots(tmp.resolve("out/snapshots")).get("a").getRecords()).isEqualTo(600);
  }
}
