package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  private static final String SPEC = "name: j\nparallelism: 3\nsource: {type: generator, count: 5}\n"
      + "layer: {type: fft-magnitude}\nsink: {type: print}\n";

  private static JobSpec spec(String... sets) throws Exception {
    return JobSpecParser.parse("j.yaml", "j", SPEC, List.of(sets));
  }

  @Test
  void checkpointsFromTheSpecWithBoundedRestartsAndRetainedCheckpoints() throws Exception {
    Configuration c = JobConfig.of(spec("checkpoints={interval: 250ms, dir: /tmp/cp, backend: rocksdb}"), null);
    assertThat(c.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(3);
    assertThat(c.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofMillis(250));
    assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(new File("/tmp/cp").toURI().toString());
    assertThat(c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isEqualTo(new File("/tmp/cp/savepoints").toURI().toString());
    assertThat(c.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("fixed-delay");
    assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).isEqualTo(JobConfig.RESTART_ATTEMPTS);
    assertThat(c.contains(StateRecoveryOptions.SAVEPOINT_PATH)).isFalse();
  }

  @Test
  void withoutCheckpointsAFailureEndsTheJobAndSavepointsGoUnderTheName() throws Exception {
    Configuration c = JobConfig.of(spec(), "file:/sp/savepoint-1");
    assertThat(c.contains(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isFalse();
    assertThat(c.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("none");
    assertThat(c.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .isEqualTo(new File("savepoints/j").getAbsoluteFile().toURI().toString());
    assertThat(c.get(StateRecoveryOptions.SAVEPOINT_PATH)).isEqualTo("file:/sp/savepoint-1");
  }

  @Test
  void unboundedSourcesCheckpointEveryTenSecondsByDefault() throws Exception {
    Configuration c = JobConfig.of(spec("source.count=null"), null);
    assertThat(c.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo(new File("checkpoints/j").getAbsoluteFile().toURI().toString());
    assertThat(c.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
  }
}
