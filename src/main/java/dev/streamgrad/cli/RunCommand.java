package dev.streamgrad.cli;

import dev.streamgrad.config.Durations;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.ExistingOutput;
import dev.streamgrad.job.JobRunner;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code run JOB.yaml}: runs a job spec on the embedded MiniCluster (web UI, progress, summary), or,
 * when started by {@code flink run}, submits the same graph to that cluster. Exit codes: 0 done, 1
 * the job failed, 2 the spec, the command line or a sink folder is wrong (nothing was started).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run a job spec (jobs/*.yaml) on the embedded Flink MiniCluster, or on the cluster of `flink run`.",
        "A sink folder that holds an earlier run's files is refused unless --overwrite or --append says what to do."})
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "JOB.yaml", description = "The job spec.")
  Path file;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
      description = "Override a spec value (YAML syntax; creates sections; =null removes the key). Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = {"--from-savepoint", "-s"}, paramLabel = "PATH",
      description = "Restore the job's state from a savepoint or retained checkpoint; the run continues the"
          + " first leg's output in its sink folders.")
  String fromSavepoint;

  @Option(names = "--stop-after", paramLabel = "DURATION",
      description = "Stop with a savepoint after this long (e.g. 20s); Ctrl-C does the same.")
  String stopAfter;

  @Option(names = "--web-port", paramLabel = "PORTS", defaultValue = "8081-8099",
      description = "Port or range for the embedded web UI (default: ${DEFAULT-VALUE}; 0: any free port).")
  String webPorts;

  @Option(names = "--jar", paramLabel = "JAR",
      description = "A jar of user-written layers (listed in its META-INF/services/dev.streamgrad.layers.LayerType)"
          + " for the embedded cluster. Repeatable. With `flink run`, use its -C file:///path/to.jar instead.")
  List<Path> jars = new ArrayList<>();

  @Option(names = "--overwrite",
      description = "Delete the files earlier runs left in the sink folders first (only files streamgrad's sinks"
          + " wrote).")
  boolean overwrite;

  @Option(names = "--append",
      description = "Keep earlier runs' files in the sink folders and add this run's next to them (each file's name"
          + " carries its run id; inspect shows it).")
  boolean append;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    ExistingOutput existing = existingOutput();
    JobSpec spec;
    Duration stop = null;
    List<String> userJars;
    try {
      userJars = ExtensionJars.install(jars);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
    try {
      spec = JobSpecParser.parse(file, overrides);
      if (stopAfter != null) {
        stop = Durations.parse(stopAfter);
      }
    } catch (SpecException e) {
      return specError(err, e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--stop-after: " + e.getMessage());
    }
    try {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      if (!(env instanceof LocalStreamEnvironment)) {
        if (!userJars.isEmpty()) {
          throw new ParameterException(command.commandLine(), "--jar is for the embedded cluster; with flink run,"
              + " give the jar to Flink: flink run -C file://" + userJars.get(0) + " ...");
        }
        // started by `flink run` (or a test cluster): that environment is the cluster to run on
        JobExecutionResult r = JobRunner.runOn(env, spec, fromSavepoint, existing);
        out.println(spec.name() + " submitted as job " + r.getJobID()
            + (r.isJobExecutionResult() ? ", finished in " + r.getNetRuntime() + " ms" : ""));
        out.flush();
        return 0;
      }
      new JobRunner(spec, out).fromSavepoint(fromSavepoint).stopAfter(stop).webPorts(webPorts)
          .existingOutput(existing).userJars(userJars).run();
      return 0;
    } catch (SpecException e) {
      // a sink folder refused, or a parallelism the embedded cluster cannot run: nothing was started
      return specError(err, e);
    } catch (ParameterException e) {
      throw e;
    } catch (Exception e) {
      throw new JobFailure(spec.name(), e);
    }
  }

  /** The choice of {@code --overwrite}/{@code --append}; usage errors for combinations that make no sense. */
  private ExistingOutput existingOutput() {
    if (overwrite && append) {
      throw new ParameterException(command.commandLine(), "--overwrite and --append exclude each other");
    }
    if (fromSavepoint != null) {
      if (overwrite) {
        throw new ParameterException(command.commandLine(), "--overwrite cannot be combined with --from-savepoint:"
            + " a resumed run continues the first leg's output");
      }
      if (!fromSavepoint.contains(":") && !Files.exists(Path.of(fromSavepoint))) {
        // a local path (a URI such as file:, s3: or hdfs: is Flink's to resolve)
        throw new ParameterException(command.commandLine(),
            "--from-savepoint: no such file or folder: " + fromSavepoint);
      }
    }
    return overwrite ? ExistingOutput.OVERWRITE : append ? ExistingOutput.APPEND : ExistingOutput.REFUSE;
  }

  private static int specError(PrintWriter err, SpecException e) {
    err.println(ConsoleText.oneLine(e.getMessage(), 2 * ConsoleText.MESSAGE_CHARS));
    err.flush();
    return 2;
  }
}
