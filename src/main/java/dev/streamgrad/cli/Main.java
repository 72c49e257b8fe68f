package dev.streamgrad.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code streamgrad} command line; each capability is a subcommand. The
 * command's attributes ({@code --help}, {@code --version}) and {@code --verbose} apply to every
 * subcommand. {@link #main} itself uses only the JDK until {@link LaunchCheck} has found Flink and
 * the libraries on the class path, so that a jar started the wrong way explains itself instead of
 * failing with a {@link NoClassDefFoundError}.
 */
@Command(
    name = "streamgrad",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "PyTorch's numpy/scipy extension tutorial on Apache Flink streams.",
    footer = {"", "Exit codes: 0 done, 1 a job or command failed, 2 a usage or spec error.",
        "'streamgrad help COMMAND' describes a command; 'source <(streamgrad completion)' completes them in bash/zsh."},
    subcommands = {TutorialCommand.class, RunCommand.class, InspectCommand.class, ExportCommand.class,
        SavepointCommand.class,
        GenerateCommand.class, BenchCommand.class, ReportCommand.class, CommandLine.HelpCommand.class,
        CompletionCommand.class})
public final class Main implements Callable<Integer> {
  @Option(names = ErrorReports.VERBOSE, scope = ScopeType.INHERIT,
      description = "On failure, print the whole stack trace (Flink's included), not only the root cause.")
  boolean verbose;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    String problem = LaunchCheck.problem(Main.class);
    if (problem != null) {
      System.err.println(problem);
      System.exit(2);
    }
    boolean insideFlink = LaunchCheck.insideFlink(Main.class);
    int code = execute(args);
    if (insideFlink) {
      // under `flink run` or the REST API's /jars/{id}/run this main runs inside the Flink client or
      // the JobManager itself: System.exit would end that process. Report failure by throwing.
      if (code != 0) {
        throw new IllegalStateException("streamgrad " + String.join(" ", args) + " failed with exit code " + code);
      }
      return;
    }
    System.exit(code);
  }

  /** Runs the command line on stdout and stderr and returns its exit code, without exiting. */
  public static int execute(String... args) {
    return Cli.commandLine().execute(args);
  }

  /** {@code streamgrad} without a command: the usage, on stderr, and exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().flush();
    return spec.exitCodeOnInvalidInput();
  }
}
