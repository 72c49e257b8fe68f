package dev.streamgrad.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code savepoint create ...}: savepoints made offline; the models in one are listed by {@code export --savepoint}. */
@Command(name = "savepoint", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Savepoints made without running the job (Flink's State Processor API).",
        "'export --savepoint PATH --list' lists the models in a savepoint."},
    subcommands = {SavepointCreateCommand.class})
public final class SavepointCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    throw new ParameterException(command.commandLine(), "give a subcommand: savepoint create");
  }
}
