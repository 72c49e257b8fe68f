package dev.streamgrad.job;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.io.RunId;
import dev.streamgrad.job.spec.JobSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a job spec on an embedded MiniCluster with Flink's web UI: prints the UI address, a progress
 * line while the job runs, and a summary at the end ({@link Summary}). Ctrl-C, or {@code stopAfter},
 * stops the job with a savepoint that {@code fromSavepoint} resumes. Each run has a {@link RunId};
 * before anything starts it claims its sink folders ({@link OutputFolders}, {@link ExistingOutput}).
 */
public final class JobRunner {
  /** How a run ended. */
  public enum Outcome {
    FINISHED,
    STOPPED_WITH_SAVEPOINT
  }

  /** What {@link #run} returns: the outcome, the savepoint (when stopped), the run's progress and id. */
  public record Result(Outcome outcome, String savepoint, Progress progress, double seconds, String runId) {}

  private static final int MAX_SAVEPOINT_ATTEMPTS = 20;
  /** The system property that names Flink's log file (set by the launchers; the web UI shows it too). */
  public static final String LOG_FILE = "log.file";

  private final JobSpec spec;
  private final PrintWriter out;
  private String fromSavepoint;
  private Duration stopAfter;
  private Duration progressEvery = Duration.ofSeconds(2);
  private String webPorts = "8081-8099";
  private String[] userJars = new String[0];
  private ExistingOutput existingOutput = ExistingOutput.REFUSE;
  private java.util.function.BiConsumer<Double, Long> progressListener = (seconds, records) -> {};

  public JobRunner(JobSpec spec, PrintWriter out) {
    this.spec = spec;
    this.out = out;
  }

  /** Restores the job's state from this savepoint or retained checkpoint. */
  public JobRunner fromSavepoint(String path) {
    this.fromSavepoint = path;
    return this;
  }

  /** Stops the job with a savepoint after this long (null: run to the end or until Ctrl-C). */
  public JobRunner stopAfter(Duration d) {
    this.stopAfter = d;
    return this;
  }

  public JobRunner progressEvery(Duration d) {
    this.progressEvery = d;
    return this;
  }

  /**
   * Called at every progress tick with the seconds since the job was submitted and the records read
   * so far (the bench derives the steady-state rate from these).
   */
  public JobRunner progressListener(java.util.function.BiConsumer<Double, Long> listener) {
    this.progressListener = listener;
    return this;
  }

  /** Port or range for the web UI (default 8081-8099; "0" picks a free one). */
  /** Jars of user-written layers that the job's tasks load classes from (the CLI's {@code --jar}). */
  public JobRunner userJars(java.util.List<String> jars) {
    this.userJars = jars.toArray(new String[0]);
    return this;
  }

  public JobRunner webPorts(String ports) {
    this.webPorts = ports;
    return this;
  }

  /** What to do with sink folders that hold an earlier run's files (default {@link ExistingOutput#REFUSE}). */
  public JobRunner existingOutput(ExistingOutput mode) {
    this.existingOutput = mode;
    return this;
  }

  /**
   * Builds the job on {@code env} and executes it: the path for {@code flink run} on a real cluster.
   * Local sink folders are checked as {@code existing} says (a {@link
   * dev.streamgrad.job.spec.SpecException} when refused), but not locked: the client may end
   * before the job does.
   */
  public static JobExecutionResult runOn(StreamExecutionEnvironment env, JobSpec spec, String fromSavepoint,
      ExistingOutput existing) throws Exception {
    String runId = RunId.next();
    boolean resuming = fromSavepoint != null
        || env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isPresent();
    OutputFolders.claim(spec, runId, existing, resuming, false).close();
    Configuration conf = JobConfig.of(spec, fromSavepoint);
    if (spec.checkpoints() == null) {
      // keep the cluster's own savepoint directory unless the spec names one
      conf.removeConfig(CheckpointingOptions.SAVEPOINT_DIRECTORY);
    }
    env.configure(conf, JobRunner.class.getClassLoader());
    env.setParallelism(spec.parallelism());
    JobGraphBuilder.build(env, spec, runId);
    return env.execute(spec.name());
  }

  /**
   * Runs on a new embedded cluster and waits for the end; failures are thrown. A parallelism the
   * embedded cluster cannot run, or a refused sink folder, is a {@link
   * dev.streamgrad.job.spec.SpecException} before anything starts.
   */
  public Result run() throws Exception {
    EmbeddedCluster.checkParallelism(spec);
    String runId = RunId.next();
    try (OutputFolders folders = OutputFolders.claim(spec, runId, existingOutput, fromSavepoint != null, true)) {
      return run(runId, folders);
    }
  }

  private Result run(String runId, OutputFolders folders) throws Exception {
    Configuration conf = JobConfig.of(spec, fromSavepoint);
    Configuration clusterConf = JobConfig.embeddedCluster(new Configuration(conf));
    clusterConf.set(RestOptions.BIND_PORT, webPorts);
    clusterConf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    clusterConf.set(RestOptions.ADDRESS, "127.0.0.1");
    clusterConf.set(TaskManagerOptions.NUM_TASK_SLOTS, spec.parallelism());
    MiniClusterConfiguration mcc = new MiniClusterConfiguration.Builder().setConfiguration(clusterConf)
        .setNumTaskManagers(1).setNumSlotsPerTaskManager(spec.parallelism()).build();
    Progress progress = Progress.register(runId);
    // not try-with-resources: MiniCluster.close() may throw InterruptedException (-Xlint:try)
    MiniCluster cluster = new MiniCluster(mcc);
    try {
      cluster.start();
      URI rest = cluster.getRestAddress().get();
      out.println("Flink web UI: " + rest);
      if (System.getProperty(LOG_FILE) != null) {
        out.println("Flink's log: " + System.getProperty(LOG_FILE));
      }
      out.println(Summary.describe(spec, fromSavepoint, runId));
      folders.notes().forEach(n -> out.println("  note: " + n));
      out.flush();
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), conf, userJars);
      JobGraphBuilder.build(env, spec, runId);
      long start = System.nanoTime();
      JobClient client = env.executeAsync(spec.name());
      CompletableFuture<String> stop = new CompletableFuture<>();
      CountDownLatch summaryPrinted = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        // Ctrl-C or SIGTERM: save the state, then let the main thread print the summary before the JVM exits
        stopWithSavepoint(client, stop);
        try {
          summaryPrinted.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "streamgrad-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        waitForEnd(cluster, client, progress, start, stop);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it stops the job with a savepoint
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String savepoint = stop.isDone() ? stop.get() : null;
      Result result = new Result(savepoint == null ? Outcome.FINISHED : Outcome.STOPPED_WITH_SAVEPOINT,
          savepoint, progress, seconds, runId);
      Summary.print(out, spec, result);
      summaryPrinted.countDown();
      return result;
    } finally {
      cluster.close();
      Progress.unregister(runId);
    }
  }

  /**
   * Waits for the job's end, printing progress meanwhile. The end comes from the embedded cluster's
   * own result future, completed the moment the job reaches a terminal state: the REST client's
   * {@code getJobExecutionResult()} polls with a backoff growing to 2 s, which made every job of a
   * few seconds look up to 2 s (on average about 1 s) longer than it ran.
   */
  private void waitForEnd(MiniCluster cluster, JobClient client, Progress progress, long start,
      CompletableFuture<String> stop) throws Exception {
    CompletableFuture<JobExecutionResult> done = cluster.requestJobResult(client.getJobID())
        .thenApply(JobRunner::executionResult);
    long lastRecords = 0;
    long lastTime = start;
    long deadline = stopAfter == null ? Long.MAX_VALUE : start + stopAfter.toNanos();
    while (true) {
      long wait = Math.max(1, Math.min(progressEvery.toMillis(), (deadline - System.nanoTime()) / 1_000_000));
      try {
        done.get(wait, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        long now = System.nanoTime();
        if (now >= deadline && !stop.isDone()) {
          stopWithSavepoint(client, stop);
          done.handle((r, t) -> r).get();
          return;
        }
        long records = progress.recordsIn();
        progressListener.accept((now - start) / 1e9, records);
        double rate = (records - lastRecords) / ((now - lastTime) / 1e9);
        out.println(Summary.progressLine((now - start) / 1e9, records, rate, progress));
        out.flush();
        lastRecords = records;
        lastTime = now;
      } catch (ExecutionException e) {
        if (stop.isDone()) {
          return;
        }
        throw e;
      }
    }
  }

  /** The job's result, or its failure (a {@link JobExecutionException}) as the client would report it. */
  private static JobExecutionResult executionResult(JobResult result) {
    try {
      return result.toJobExecutionResult(JobRunner.class.getClassLoader());
    } catch (JobExecutionException e) {
      throw new CompletionException(e);
    } catch (IOException | ClassNotFoundException e) {
      throw new CompletionException(new JobExecutionException(result.getJobId(), "the job's result could not be read", e));
    }
  }

  private void stopWithSavepoint(JobClient client, CompletableFuture<String> stop) {
    if (stop.isDone()) {
      return;
    }
    String dir = JobConfig.savepointDir(spec);
    out.println("stopping with a savepoint in " + dir + " ...");
    out.flush();
    for (int attempt = 1; ; attempt++) {
      try {
        String path = client.stopWithSavepoint(false, new java.io.File(dir).getAbsoluteFile().toURI().toString(),
            SavepointFormatType.CANONICAL).get(2, TimeUnit.MINUTES);
        stop.complete(path);
        out.println("savepoint: " + path);
        out.println("resume with: streamgrad run " + spec.file() + " --from-savepoint " + path);
        out.flush();
        return;
      } catch (Exception e) {
        // while tasks are still being deployed a savepoint is refused: try again; a finished job has nothing to save
        boolean running;
        try {
          running = !client.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState();
        } catch (Exception statusUnknown) {
          running = false;
        }
        if (!running || attempt >= MAX_SAVEPOINT_ATTEMPTS) {
          out.println("no savepoint taken: " + rootMessage(e));
          out.flush();
          return;
        }
        out.println("savepoint not possible yet (" + rootMessage(e) + "), retrying");
        out.flush();
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
