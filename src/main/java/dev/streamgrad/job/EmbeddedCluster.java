package dev.streamgrad.job;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.spec.JobSpec;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.DistributionPattern;
import org.apache.flink.runtime.jobgraph.IntermediateDataSet;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.taskexecutor.TaskExecutorResourceUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the embedded MiniCluster of {@link JobRunner} can run: it has one TaskManager with one slot
 * per parallel subtask (so slots never run short) and a fixed pool of network buffers, which is
 * what a high {@code parallelism} exhausts. {@link #checkParallelism} rejects a spec before the
 * cluster starts, naming the largest parallelism that fits, instead of the job failing after its
 * deployment with Flink's {@code Insufficient number of network buffers}.
 *
 * <p>The arithmetic is Flink 2.3's ({@code NetworkBufferPool#createBufferPool}, {@code
 * NettyShuffleUtils}, {@code InputGateSpecUtils}); every buffer pool reserves its minimum when its
 * task is deployed, and all tasks of a streaming job are deployed together:
 *
 * <ul>
 *   <li>the buffers: the TaskManager's network memory divided by the segment size. The embedded
 *       cluster runs Flink's local-execution defaults, 64 MB of network memory, with {@link
 *       JobConfig#SEGMENT_SIZE} (128 KB) segments: 512 buffers;
 *   <li>each producing subtask's result partition reserves {@code subpartitions + 1} buffers: a
 *       subtask feeding a {@code keyBy} or broadcast to {@code p} consumers reserves {@code p + 1},
 *       so an all-to-all exchange between two operators of parallelism {@code p} reserves {@code p
 *       (p + 1)};
 *   <li>each consuming subtask's input gate reserves one floating buffer; its exclusive buffers
 *       (2 per channel) are taken only by remote channels, and in one TaskManager every channel is
 *       local;
 *   <li>chained operators (a source and its progress tap, a map and its sink) exchange no buffers.
 * </ul>
 *
 * <p>The requirement is counted on the job graph {@link JobGraphBuilder} builds for the spec, so it
 * follows the graph (a generator source runs as one reader, an {@code avro-file} source as one
 * reader per file up to the parallelism, a Kafka source as {@code parallelism} readers).
 */
public final class EmbeddedCluster {
  private EmbeddedCluster() {}

  /** The embedded cluster's options as {@link JobRunner#run} sets them: {@link JobConfig#embeddedCluster}. */
  private static Configuration configuration(JobSpec spec) {
    Configuration conf = JobConfig.embeddedCluster(new Configuration(JobConfig.of(spec, null)));
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, spec.parallelism());
    return conf;
  }

  /** The network buffers the embedded cluster of {@code spec} has. */
  public static int networkBuffers(JobSpec spec) {
    Configuration conf = configuration(spec);
    long bytes = TaskExecutorResourceUtils.resourceSpecFromConfigForLocalExecution(conf).getNetworkMemSize()
        .getBytes();
    return (int) Math.min(Integer.MAX_VALUE, bytes / conf.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE).getBytes());
  }

  /** The network buffers {@code spec}'s job reserves when all its tasks run in one TaskManager. */
  public static long requiredBuffers(JobSpec spec) {
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(JobConfig.of(spec, null));
    env.setParallelism(spec.parallelism());
    JobGraphBuilder.build(env, spec, null);
    JobGraph graph = env.getStreamGraph().getJobGraph(EmbeddedCluster.class.getClassLoader());
    long total = 0;
    for (JobVertex v : graph.getVertices()) {
      int producers = parallelism(v, spec);
      for (IntermediateDataSet data : v.getProducedDataSets()) {
        for (JobEdge edge : data.getConsumers()) {
          int consumers = parallelism(edge.getTarget(), spec);
          if (edge.getDistributionPattern() == DistributionPattern.ALL_TO_ALL) {
            total += (long) producers * (consumers + 1);
          } else {
            // pointwise: the consumers are split among the producers, at least one each
            total += Math.max(consumers, producers) + producers;
          }
        }
      }
      total += (long) producers * v.getInputs().size();
    }
    return total;
  }

  /**
   * Fails when the embedded cluster has too few network buffers for {@code spec}'s parallelism;
   * the message names the largest parallelism that fits.
   */
  public static void checkParallelism(JobSpec spec) throws SpecException {
    int available = networkBuffers(spec);
    long required = requiredBuffers(spec);
    if (required <= available) {
      return;
    }
    int lo = maxParallelism(spec);
    throw new SpecException(spec.file(), "parallelism", String.format(Locale.ROOT,
        "%d is more than the embedded cluster can run for this job: at most %d (its %d network buffers of"
            + " %d KB hold the exchanges of parallelism %d; parallelism %d needs %,d buffers). Run it on a"
            + " Flink cluster (flink run) for more", spec.parallelism(), lo, available,
        JobConfig.SEGMENT_SIZE.getKibiBytes(), lo, spec.parallelism(), required));
  }

  /**
   * The largest parallelism at which {@code spec}'s job fits the embedded cluster's network buffers
   * (at least 1: a job that does not fit even then fails with Flink's own message).
   */
  public static int maxParallelism(JobSpec spec) {
    int available = networkBuffers(spec);
    int lo = 1;
    int hi = Math.max(spec.parallelism(), available);
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (requiredBuffers(withParallelism(spec, mid)) <= available) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static JobSpec withParallelism(JobSpec s, int p) {
    return new JobSpec(s.file(), s.name(), p, s.source(), s.layer(), s.train(), s.predict(), s.sink(),
        s.deadLetters(), s.deadLettersDefaulted(), s.checkpoints(), s.driftEvents());
  }

  private static int parallelism(JobVertex v, JobSpec spec) {
    return v.getParallelism() > 0 ? v.getParallelism() : spec.parallelism();
  }
}
