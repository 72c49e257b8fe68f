package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.RecordTypeInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failure at a random point after at least two completed checkpoints does not change what the
 * trainer outputs: with the hashmap and the rocksdb state backend, the snapshots of a fail-once run
 * (exactly-once collect sink) are identical to those of a failure-free run: same versions,
 * bit-identical filters, nothing duplicated or missing. Restarts are bounded so that a broken
 * recovery fails instead of hanging.
 */
class TrainerFaultToleranceITCase {
  private static final int RECORDS = 900;
  static final int MODELS = 3;
  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 3, 5);
  private static final TrainConfig TRAIN = new TrainConfig(OptimizerSpec.sgd(0.01, 0.9, 0, 0.001, true), 2, 20);

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();
  static volatile long failAt = Long.MAX_VALUE;

  private static List<FilterSnapshot> reference;

  @TempDir
  Path checkpoints;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void failOnceGivesTheSameSnapshotsAsAFailureFreeRun(String backend) throws Exception {
    if (reference == null) {
      // deterministic output: one failure-free run serves as the reference for both backends
      reference = run("hashmap", false);
    }
    assertThat(reference).hasSize(MODELS * (RECORDS / MODELS / 2 / 20 + 1));
    Map<String, Long> last = new HashMap<>();
    for (FilterSnapshot s : reference) {
      assertThat(s.getVersion()).isGreaterThan(last.getOrDefault(s.getModel(), 0L));
      last.put(s.getModel(), s.getVersion());
    }
    assertThat(last).hasSize(MODELS).containsValue((long) RECORDS / MODELS / 2);
    failAt = (long) (RECORDS * (0.4 + 0.4 * new Random(backend.hashCode()).nextDouble()));
    List<FilterSnapshot> recovered = run(backend, true);
    assertThat(FAILED).as("the injected failure happened").isTrue();
    assertThat(recovered).isEqualTo(reference);
  }

  private List<FilterSnapshot> run(String backend, boolean injectFailure) throws Exception {
    FAILED.set(!injectFailure);
    COMPLETED_CHECKPOINTS.set(0);
    Map<String, String> settings = new HashMap<>();
    settings.put("execution.checkpointing.interval", "50 ms");
    settings.put("execution.checkpointing.dir", checkpoints.resolve(backend + injectFailure).toUri().toString());
    settings.put("state.backend.type", backend);
    settings.put("restart-strategy.type", "fixed-delay");
    settings.put("restart-strategy.fixed-delay.attempts", "2");
    settings.put("restart-strategy.fixed-delay.delay", "100 ms");
    settings.put("pipeline.generic-types", "false");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings));
    env.setParallelism(2);
    DataGeneratorSource<LabeledTensorRecord> source = new DataGeneratorSource<>(new Generate(), RECORDS,
        RateLimiterStrategy.perCheckpoint(60), RecordTypeInfo.LABELED);
    // one source subtask and a chained map: each model's records keep their order up to the keyBy
    DataStream<LabeledTensorRecord> in = env.fromSource(source, WatermarkStrategy.noWatermarks(), "labeled")
        .setParallelism(1)
        .map(new FailOnce())
        .setParallelism(1);
    List<FilterSnapshot> out = new ArrayList<>(Operators.train(in, LAYER, TRAIN).executeAndCollect(10_000));
    out.sort(Comparator.comparing(FilterSnapshot::getModel).thenComparing(FilterSnapshot::getVersion));
    return out;
  }

  /** Record i: model i % MODELS, a 10x10 input and 8x8 target drawn from a generator seeded with i. */
  static final class Generate implements GeneratorFunction<Long, LabeledTensorRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public LabeledTensorRecord map(Long i) {
      return TestRecords.random("m" + (i % MODELS), i / MODELS, new Random(i), 10, 10, 3, 3);
    }
  }

  /** Throws once, at the first record at or after {@link #failAt} once two checkpoints completed. */
  static final class FailOnce implements MapFunction<LabeledTensorRecord, LabeledTensorRecord>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private long seen;

    @Override
    public LabeledTensorRecord map(LabeledTensorRecord r) {
      long index = r.getSeq() * MODELS + Long.parseLong(r.getModel().substring(1));
      seen++;
      if (!FAILED.get() && index >= failAt && COMPLETED_CHECKPOINTS.get() >= 2) {
        FAILED.set(true);
        throw new IllegalStateException("injected failure at record " + index + " after "
            + COMPLETED_CHECKPOINTS.get() + " checkpoints (" + seen + " records seen by this attempt)");
      }
      return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      COMPLETED_CHECKPOINTS.incrementAndGet();
    }
  }
}
