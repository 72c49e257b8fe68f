package dev.streamgrad.modelstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.flink.ModelTrainer;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.models.SnapshotExport;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.optim.OptimizerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model stopped at version V and started again from where it was, on the rest of the stream,
 * learns what it would have learned without stopping: from its snapshot or an exported {@code .npz}
 * or safetensors file ({@code train.init}; SGD without momentum, whose step needs nothing but the
 * parameters), from the job's savepoint (which carries Adam's state: bit for bit with Adam), and
 * from a savepoint bootstrapped with the State Processor API out of a snapshot or a savepoint's state
 * ({@code run --from-savepoint}).
 */
class WarmStartITCase {
  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 3, 11);
  private static final TrainConfig SGD = new TrainConfig(OptimizerSpec.sgd(0.02, 0, 0, 0, false), 1, 10);
  private static final TrainConfig ADAM = new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, false), 1,
      10);
  private static final long V = 80;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build());

  @TempDir
  Path dir;

  @Test
  void aSnapshotAndItsExportedFilesContinueExactlyWithSgd() throws Exception {
    List<FilterSnapshot> all = uninterrupted(SGD);
    FilterSnapshot atV = all.get((int) (V / 10) - 1);
    assertThat(atV.getVersion()).isEqualTo(V);
    List<FilterSnapshot> rest = all.subList((int) (V / 10), all.size());

    Path snapshots = dir.resolve("snapshots.avro");
    try (DataFileWriter<FilterSnapshot> w = new DataFileWriter<>(new SpecificDatumWriter<>(FilterSnapshot.class))) {
      w.create(FilterSnapshot.getClassSchema(), snapshots.toFile());
      for (FilterSnapshot s : all) {
        w.append(s);
      }
    }
    StartingPoint fromSnapshot = ModelSources.snapshot(List.of(snapshots), ResumeJob.MODEL, V);
    assertThat(warm(SGD, fromSnapshot)).isEqualTo(rest);

    Path npz = dir.resolve("m0.npz");
    TensorFile one = SnapshotExport.toFile(Map.of(ResumeJob.MODEL, atV), false);
    TensorFileFormat.NPZ.write(one, npz);
    TensorFileFormat.JSON.write(new TensorFile(Map.of(), one.metadata()), dir.resolve("m0.npz.json"));
    StartingPoint fromNpz = ModelSources.file(npz, null);
    assertThat(fromNpz.version()).isEqualTo(V);
    assertThat(warm(SGD, fromNpz)).isEqualTo(rest);

    Path safetensors = dir.resolve("all.safetensors"); // every model, names prefixed m0/
    TensorFileFormat.SAFETENSORS.write(SnapshotExport.toFile(Map.of(ResumeJob.MODEL, atV), true), safetensors);
    assertThat(warm(SGD, ModelSources.file(safetensors, ResumeJob.MODEL))).isEqualTo(rest);
  }

  @Test
  void aSnapshotBootstrappedIntoASavepointContinuesExactlyWithSgd() throws Exception {
    List<FilterSnapshot> all = uninterrupted(SGD);
    Path snapshots = dir.resolve("snapshots.avro");
    try (DataFileWriter<FilterSnapshot> w = new DataFileWriter<>(new SpecificDatumWriter<>(FilterSnapshot.class))) {
      w.create(FilterSnapshot.getClassSchema(), snapshots.toFile());
      w.append(all.get((int) (V / 10) - 1));
    }
    StartingPoint start = ModelSources.snapshot(List.of(snapshots), null, null);
    TrainerState state = new ModelTrainer(WarmStartLayer.of(LAYER, SGD, start), SGD).initialState();
    Path savepoint = dir.resolve("bootstrapped");
    ModelSavepoints.write(Map.of(ResumeJob.MODEL, state), 128, savepoint);

    ResumeJob.build(LAYER, SGD, V, RateLimiterStrategy.noOp(), savepoint.toUri().toString()).execute("bootstrapped");
    assertThat(withoutEvaluation(ResumeJob.drain())).isEqualTo(all.subList((int) (V / 10), all.size()));
  }

  @Test
  void aSavepointCarriesAdamsStateAndContinuesBitForBit() throws Exception {
    List<FilterSnapshot> all = uninterrupted(ADAM);
    JobClient first = ResumeJob.build(LAYER, ADAM, 0, RateLimiterStrategy.perSecond(40), null).executeAsync("first");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ResumeJob.OUT.size() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
        SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    ResumeJob.drain();

    SortedMap<String, TrainerState> read = ModelSavepoints.read(savepoint, "hashmap");
    assertThat(read).containsOnlyKeys(ResumeJob.MODEL);
    TrainerState s = read.get(ResumeJob.MODEL);
    assertThat(s.version).as("stopped in the middle").isBetween(50L, ResumeJob.RECORDS - 10L);
    assertThat(s.records).isEqualTo(s.version); // mini-batches of 1
    assertThat(s.optimizer).containsKeys("0.exp_avg", "0.exp_avg_sq", "0.step", "1.exp_avg");
    List<FilterSnapshot> after = all.stream().filter(x -> x.getVersion() > s.version).toList();

    StartingPoint start = ModelSources.savepoint(savepoint, null, "hashmap");
    assertThat(start.carriesOptimizer()).isTrue();
    assertThat(parameters(warm(ADAM, start))).as("train.init.savepoint").isEqualTo(parameters(after));

    Path bootstrapped = dir.resolve("bootstrapped");
    ModelSavepoints.write(read, 128, bootstrapped);
    assertThat(ModelSavepoints.read(bootstrapped.toString(), "hashmap").get(ResumeJob.MODEL))
        .usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s);
    ResumeJob.build(LAYER, ADAM, s.records, RateLimiterStrategy.noOp(), bootstrapped.toUri().toString())
        .execute("bootstrapped");
    assertThat(parameters(ResumeJob.drain())).as("run --from-savepoint").isEqualTo(parameters(after));
  }

  private List<FilterSnapshot> uninterrupted(TrainConfig train) throws Exception {
    ResumeJob.OUT.clear();
    ResumeJob.build(LAYER, train, 0, RateLimiterStrategy.noOp(), null).execute("uninterrupted");
    List<FilterSnapshot> all = withoutEvaluation(ResumeJob.drain());
    assertThat(all).hasSize(ResumeJob.RECORDS / 10 + 1);
    assertThat(all.get(all.size() - 1).getRecords()).isEqualTo(ResumeJob.RECORDS);
    return all;
  }

  private List<FilterSnapshot> warm(TrainConfig train, StartingPoint start) throws Exception {
    ResumeJob.build(WarmStartLayer.of(LAYER, train, start), train, start.records(), RateLimiterStrategy.noOp(), null)
        .execute("warm start");
    return withoutEvaluation(ResumeJob.drain());
  }

  /**
   * The snapshots without their evaluation (train.evaluation's windows of this job's own records: a
   * warm start, like any new job, starts them afresh), everything else as emitted.
   */
  static List<FilterSnapshot> withoutEvaluation(List<FilterSnapshot> snaps) {
    return snaps.stream().map(s -> FilterSnapshot.newBuilder(s).setEvaluation(null).build()).toList();
  }

  /**
   * Each snapshot's version and parameters: what must match when the first snapshot after a stop at a
   * version that is not a multiple of snapshotEvery averages its loss over fewer records.
   */
  private static List<String> parameters(List<FilterSnapshot> snaps) {
    return snaps.stream().map(s -> s.getVersion() + " " + s.getRecords() + " " + s.getParameters()).toList();
  }
}
