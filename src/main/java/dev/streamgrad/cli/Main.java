package dev.streamgrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code streamgrad} command line; each capability is a subcommand. */
@Command(
    name = "streamgrad",
    mixinStandardHelpOptions = true,
    version = "streamgrad 0.1.0",
    description = "PyTorch's numpy/scipy extension tutorial on Apache Flink streams.",
    subcommands = {TutorialCommand.class, RunCommand.class, InspectCommand.class, GenerateCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (2 for usage errors), without exiting. */
  public static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
