package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.drift.DetectorSpec;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.optim.lr.LrScheduleSpec;
import dev.streamgrad.records.RecordTypeInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stop with a savepoint in the middle of training and resume with another trainer parallelism (2
 * to 1 with hashmap, 1 to 2 with rocksdb): every model's state moves to its new subtask, and the
 * snapshots before the stop plus those after the resume equal an uninterrupted run's, with a
 * learning-rate schedule in the middle of its course, a holdout and a drift detector (their state
 * and the evaluation every snapshot carries come through too).
 */
class TrainerSavepointITCase {
  private static final int RECORDS = 900;
  /** Per model (MODELS of them) 1 record in 9 held out, a snapshot every 10 updates, one at the end. */
  private static final int SNAPSHOTS = snapshots();
  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 3, 11);
  // with a learning-rate schedule stopped mid-way, a holdout and a drift detector whose state and
  // pending events must come through too (every snapshot carries the evaluation)
  private static final TrainConfig TRAIN = new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, true), 1, 10)
      .withLrSchedule(new LrScheduleSpec.Cosine(40, 0.001))
      .withEvaluation(new EvaluationConfig(50, 7_000, 9))
      .withDrift(new DriftConfig(new DetectorSpec.AdwinSpec(0.1, 4, 5, 5, 10), true));
  static final Queue<FilterSnapshot> OUT = CollectingSink.queue("savepoint");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build());

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({"2, 1, hashmap", "1, 2, rocksdb"})
  void resumeWithAnotherParallelismKeepsEveryModel(int before, int after, String backend) throws Exception {
    OUT.clear();
    build(backend, 2, RateLimiterStrategy.noOp(), null).execute("uninterrupted");
    List<FilterSnapshot> reference = sorted(OUT);
    // every model holds out one record in 9 and snapshots every 10 updates and at the end
    assertThat(reference).hasSize(SNAPSHOTS);
    assertThat(reference).allSatisfy(s -> assertThat(s.getEvaluation().getHeldOut()).isPositive());
    assertThat(reference).as("the detector fired (and reset the optimizer) somewhere")
        .anySatisfy(s -> assertThat(s.getEvaluation().getDriftEvents()).isNotEmpty());

    OUT.clear();
    JobClient first = build(backend, before, RateLimiterStrategy.perSecond(400), null).executeAsync("before");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (OUT.size() < 15 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
        SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    int stoppedAt = OUT.size();
    assertThat(stoppedAt).as("stopped in the middle").isBetween(15, SNAPSHOTS - 1);

    build(backend, after, RateLimiterStrategy.noOp(), savepoint).execute("after");
    assertThat(OUT.size()).as("nothing duplicated or missing").isEqualTo(reference.size());
    assertThat(sorted(OUT)).isEqualTo(reference);
  }

  private StreamExecutionEnvironment build(String backend, int trainerParallelism, RateLimiterStrategy<?> rate,
      String savepoint) {
    Map<String, String> settings = new HashMap<>();
    settings.put("state.backend.type", backend);
    settings.put("pipeline.generic-types", "false");
    settings.put("restart-strategy.type", "none");
    if (savepoint != null) {
      settings.put("execution.state-recovery.path", savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings));
    env.setMaxParallelism(128);
    env.setParallelism(trainerParallelism);
    DataStream<LabeledTensorRecord> in = env.fromSource(new DataGeneratorSource<>(
            new TrainerFaultToleranceITCase.Generate(), RECORDS, rate, RecordTypeInfo.LABELED),
        WatermarkStrategy.noWatermarks(), "labeled").setParallelism(1).uid(Uids.SOURCE);
    Operators.train(in, LAYER, TRAIN).sinkTo(new CollectingSink("savepoint")).setParallelism(1).uid(Uids.SINK);
    return env;
  }

  private static int snapshots() {
    int total = 0;
    int perModel = RECORDS / TrainerFaultToleranceITCase.MODELS;
    int trained = perModel - perModel / 9;
    total += TrainerFaultToleranceITCase.MODELS * (trained / 10 + (trained % 10 == 0 ? 0 : 1));
    return total;
  }

  private static List<FilterSnapshot> sorted(Queue<FilterSnapshot> snaps) {
    List<FilterSnapshot> out = new ArrayList<>(snaps);
    out.sort(Comparator.comparing(FilterSnapshot::getModel).thenComparing(FilterSnapshot::getVersion));
    return out;
  }
}
