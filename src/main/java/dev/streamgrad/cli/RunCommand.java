package dev.streamgrad.cli;

import dev.streamgrad.job.JobRunner;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.job.spec.SpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code run JOB.yaml}: runs a job spec on the embedded MiniCluster (web UI, progress, summary), or,
 * when started by {@code flink run}, submits the same graph to that cluster. Exit codes: 0 done, 1
 * the job failed, 2 the spec or the command line is wrong (nothing was started).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a job spec (jobs/*.yaml) on the embedded Flink MiniCluster, or on the cluster of `flink run`.")
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec.")
  Path file;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
      description = "Override a spec value (YAML syntax; creates sections; =null removes the key). Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = {"--from-savepoint", "-s"}, paramLabel = "PATH",
      description = "Restore the job's state from a savepoint or retained checkpoint.")
  String fromSavepoint;

  @Option(names = "--stop-after", paramLabel = "DURATION",
      description = "Stop with a savepoint after this long (e.g. 20s); Ctrl-C does the same.")
  String stopAfter;

  @Option(names = "--web-port", paramLabel = "PORTS", defaultValue = "8081-8099",
      description = "Port or range for the embedded web UI (default: ${DEFAULT-VALUE}; 0: any free port).")
  String webPorts;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    JobSpec spec;
    java.time.Duration stop = null;
    try {
      spec = JobSpecParser.parse(file, overrides);
      if (stopAfter != null) {
        stop = dev.streamgrad.job.spec.Durations.parse(stopAfter);
      }
    } catch (SpecException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("--stop-after: " + e.getMessage());
      err.flush();
      return 2;
    }
    try {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      if (!(env instanceof LocalStreamEnvironment)) {
        // started by `flink run` (or a test cluster): that environment is the cluster to run on
        JobExecutionResult r = JobRunner.runOn(env, spec, fromSavepoint);
        out.println(spec.name() + " submitted as job " + r.getJobID()
            + (r.isJobExecutionResult() ? ", finished in " + r.getNetRuntime() + " ms" : ""));
        out.flush();
        return 0;
      }
      new JobRunner(spec, out).fromSavepoint(fromSavepoint).stopAfter(stop).webPorts(webPorts).run();
      return 0;
    } catch (SpecException e) {
      // the embedded cluster cannot run this spec (its parallelism): nothing was started
      err.println(e.getMessage());
      err.flush();
      return 2;
    } catch (Exception e) {
      err.println("job " + spec.name() + " failed: " + rootCause(e));
      err.flush();
      return 1;
    }
  }

  static String rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c == t ? String.valueOf(t) : t.getMessage() + " (cause: " + c + ")";
  }
}
