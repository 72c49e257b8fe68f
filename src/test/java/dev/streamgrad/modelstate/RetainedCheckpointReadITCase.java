package dev.streamgrad.modelstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.optim.OptimizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that a cancelled job retained, written by the rocksdb backend in its native format,
 * reads as the models' state, whichever backend is named first ({@link ModelSavepoints#read} tries
 * the other one when the first fails), the same either way.
 */
class RetainedCheckpointReadITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build());

  @TempDir
  Path dir;

  @Test
  void aRetainedRocksdbCheckpointReadsAsTheModelsState() throws Exception {
    TrainConfig adam = new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, false), 1, 10);
    Path checkpoints = dir.resolve("cp");
    JobClient job = ResumeJob.build(Conv2dSpec.seeded(3, 3, 11), adam, 0, RateLimiterStrategy.perSecond(40), null,
        Map.of("state.backend.type", "rocksdb", "execution.checkpointing.interval", "200ms",
            "execution.checkpointing.dir", checkpoints.toUri().toString(),
            "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"))
        .executeAsync("checkpointed");
    Optional<Path> chk = Optional.empty();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (chk.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      chk = completedCheckpoint(checkpoints);
    }
    job.cancel().get(60, TimeUnit.SECONDS);
    ResumeJob.drain();
    assertThat(chk).as("a completed checkpoint in %s", checkpoints).isPresent();

    SortedMap<String, TrainerState> models = ModelSavepoints.read(chk.get().toString(), "hashmap");
    assertThat(models).containsOnlyKeys(ResumeJob.MODEL);
    TrainerState s = models.get(ResumeJob.MODEL);
    assertThat(s.records).isEqualTo(s.version).isPositive();
    assertThat(s.params.get("filter")).hasSize(9);
    assertThat(s.optimizer).containsKeys("0.exp_avg", "0.exp_avg_sq", "0.step");
    assertThat(s.optimizer.get("0.step")).containsExactly((double) s.version);
    assertThat(ModelSavepoints.read(chk.get().resolve("_metadata").toString(), "rocksdb").get(ResumeJob.MODEL))
        .usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(s);
  }

  /** A {@code chk-N} folder whose {@code _metadata} is written (the checkpoint completed). */
  private static Optional<Path> completedCheckpoint(Path checkpoints) throws Exception {
    if (!Files.isDirectory(checkpoints)) {
      return Optional.empty();
    }
    try (Stream<Path> walk = Files.walk(checkpoints, 3)) {
      return walk.filter(p -> p.getFileName().toString().startsWith("chk-"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata"))).findFirst();
    }
  }
}
