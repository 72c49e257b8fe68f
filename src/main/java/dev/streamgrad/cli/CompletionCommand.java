package dev.streamgrad.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: prints the shell completion script that picocli's {@link AutoComplete} makes. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a completion script for bash and zsh (commands, options, file names).",
        "Load it in the current shell with: source <(streamgrad completion)",
        "or for every shell: streamgrad completion > ~/.local/share/bash-completion/completions/streamgrad"})
public final class CompletionCommand implements Callable<Integer> {
  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    command.commandLine().getOut().print(AutoComplete.bash("streamgrad", command.root().commandLine()));
    command.commandLine().getOut().flush();
    return 0;
  }
}
