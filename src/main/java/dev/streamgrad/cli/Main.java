package dev.streamgrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code streamgrad} command line; each capability is a subcommand. */
@Command(
    name = "streamgrad",
    mixinStandardHelpOptions = true,
    version = "streamgrad 0.1.0",
    description = "PyTorch's numpy/scipy extension tutorial on Apache Flink streams.",
    subcommands = {TutorialCommand.class, RunCommand.class, InspectCommand.class, GenerateCommand.class, BenchCommand.class})
public final class Main {

  public static void main(String[] args) {
    int code = execute(args);
    if (insideFlink()) {
      // under `flink run` or the REST API's /jars/{id}/run this main runs inside the Flink client or
      // the JobManager itself: System.exit would end that process. Report failure by throwing.
      if (code != 0) {
        throw new IllegalStateException("streamgrad " + String.join(" ", args) + " failed with exit code " + code);
      }
      return;
    }
    System.exit(code);
  }

  /** Whether Flink loaded this class from a job jar (user-code class loader), i.e. we are a job's main. */
  static boolean insideFlink() {
    return Main.class.getClassLoader() instanceof org.apache.flink.util.FlinkUserCodeClassLoader;
  }

  /** Runs the command line and returns its exit code (2 for usage errors), without exiting. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
