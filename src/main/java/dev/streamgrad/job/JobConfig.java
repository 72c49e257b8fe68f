package dev.streamgrad.job;

import dev.streamgrad.job.spec.CheckpointSpec;
import dev.streamgrad.job.spec.JobSpec;
import java.io.File;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/** The Flink configuration a job spec implies: parallelism, checkpoints, state backend, restarts. */
public final class JobConfig {
  /** Restart attempts after a failure when checkpointing is on; then the job fails instead of looping. */
  public static final int RESTART_ATTEMPTS = 3;

  private JobConfig() {}

  /**
   * Network buffer size of the embedded cluster. A labeled 28x28 record is 6 KB (float32) to 12 KB
   * (float64), so Flink's default 32 KB buffers hold only a few records and many records span two
   * buffers (copied once more on the receiving side); with 128 KB buffers the trainer's end-to-end
   * throughput rose by about a fifth. Set {@code taskmanager.memory.segment-size} likewise on a
   * real cluster (docs/cluster.md).
   */
  public static final MemorySize SEGMENT_SIZE = MemorySize.parse("128kb");

  /** Sets the options of the embedded cluster itself (not of the job) on {@code conf}; returns it. */
  public static Configuration embeddedCluster(Configuration conf) {
    conf.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, SEGMENT_SIZE);
    return conf;
  }

  /** What every streamgrad job runs with: the parallelism, and no generic (Kryo) types. */
  public static Configuration pipeline(int parallelism) {
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    // every state and record type is declared; a Kryo fallback is a bug and fails fast
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    // no defensive copy between chained operators: no streamgrad function keeps or changes a record
    // after passing it on, and every source emits a new record each time (Flink's network inputs
    // always deserialise into new objects), so the copy bought nothing but a deep copy per record
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    return conf;
  }

  /**
   * The configuration for {@code spec}; {@code fromSavepoint} (nullable) restores the job's state.
   * Without checkpoints a failure ends the job (restart strategy {@code none}): a bounded job without
   * checkpoints would only start over from the beginning.
   */
  public static Configuration of(JobSpec spec, String fromSavepoint) {
    Configuration conf = pipeline(spec.parallelism());
    CheckpointSpec cp = spec.checkpoints();
    if (cp != null) {
      conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, cp.interval());
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, uri(cp.dir()));
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, uri(savepointDir(spec)));
      conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
          ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
      conf.set(StateBackendOptions.STATE_BACKEND, cp.backend());
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
    } else {
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, uri(savepointDir(spec)));
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    }
    if (fromSavepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, fromSavepoint);
    }
    return conf;
  }

  /** Where {@code run} puts savepoints: {@code <checkpoints.dir>/savepoints}, else {@code savepoints/<name>}. */
  public static String savepointDir(JobSpec spec) {
    return spec.checkpoints() != null ? spec.checkpoints().dir() + "/savepoints" : "savepoints/" + spec.name();
  }

  private static String uri(String path) {
    return path.contains("://") ? path : new File(path).getAbsoluteFile().toURI().toString();
  }
}
