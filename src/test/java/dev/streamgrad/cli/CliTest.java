package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.job.AvroFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's habits, in process: one-line usage errors with exit code 2, help, version, completion. */
class CliTest {
  @TempDir
  Path tmp;

  private static void usageError(AvroFiles.Cli r, String line) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(line + System.lineSeparator());
    assertThat(r.out()).isEmpty();
  }

  @Test
  void usageErrorsAreOneLineNamingTheCommandAndWhereHelpIs() {
    usageError(AvroFiles.cli("run"),
        "streamgrad run: Missing required parameter: 'JOB.yaml' (see 'streamgrad help run')");
    usageError(AvroFiles.cli("run", "jobs/train-conv2d.yaml", "--overwite"),
        "streamgrad run: Unknown option: '--overwite'; did you mean --overwrite? (see 'streamgrad help run')");
    usageError(AvroFiles.cli("inspect", "--limit", "-1", "x.avro"),
        "streamgrad inspect: --limit must be 0 or more, got -1 (see 'streamgrad help inspect')");
    usageError(AvroFiles.cli("inspect", "--limit", "many", "x.avro"),
        "streamgrad inspect: Invalid value for option '--limit': 'many' is not a long (see 'streamgrad help inspect')");
    AvroFiles.Cli typo = AvroFiles.cli("tutorail");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).startsWith("streamgrad: unknown command 'tutorail'; did you mean tutorial")
        .endsWith(" (see 'streamgrad --help')" + System.lineSeparator()).hasLineCount(1);
  }

  @Test
  void runChecksItsOutputAndSavepointOptionsBeforeAnythingStarts() {
    usageError(AvroFiles.cli("run", "jobs/train-conv2d.yaml", "--overwrite", "--append"),
        "streamgrad run: --overwrite and --append exclude each other (see 'streamgrad help run')");
    usageError(AvroFiles.cli("run", "jobs/train-conv2d.yaml", "--overwrite", "--from-savepoint", tmp.toString()),
        "streamgrad run: --overwrite cannot be combined with --from-savepoint: a resumed run continues the first"
            + " leg's output (see 'streamgrad help run')");
    usageError(AvroFiles.cli("run", "jobs/train-conv2d.yaml", "--from-savepoint", tmp.resolve("none").toString()),
        "streamgrad run: --from-savepoint: no such file or folder: " + tmp.resolve("none") + " (see 'streamgrad help"
            + " run')");
  }

  @Test
  void withoutACommandTheUsageGoesToStderrWithExitCode2() {
    AvroFiles.Cli r = AvroFiles.cli();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("Usage: streamgrad [-hV] [--verbose] [COMMAND]").contains("Commands:", "run",
        "inspect", "completion");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void everyCommandAnswersVersionAndHelp() {
    CommandLine cli = Cli.commandLine();
    assertThat(cli.getSubcommands()).containsKeys("tutorial", "run", "inspect", "generate", "bench", "help",
        "completion");
    for (String command : cli.getSubcommands().keySet()) {
      if (command.equals("help")) {
        continue; // `help COMMAND` is the help itself
      }
      // export's --version V chooses a model version (issue 17); -V is streamgrad's version everywhere
      AvroFiles.Cli v = AvroFiles.cli(command, command.equals("export") ? "-V" : "--version");
      assertThat(v.code()).as(command).isZero();
      assertThat(v.out()).as(command).startsWith("streamgrad 0.1.0").contains("Flink 2.3.0, Java ");
      AvroFiles.Cli h = AvroFiles.cli("help", command);
      assertThat(h.code()).as(command).isZero();
      assertThat(h.out()).as(command).startsWith("Usage: streamgrad " + command);
    }
  }

  @Test
  void completionIsABashScriptForEveryCommandAndOption() {
    AvroFiles.Cli r = AvroFiles.cli("completion");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_streamgrad",
        "tutorial", "inspect", "--overwrite", "--append", "--from-savepoint", "--limit", "--verbose");
  }

  @Test
  void rootCausesAreOneShortLineWithTheInnermostClassAndMessage() throws IOException {
    Exception flinkLike = new RuntimeException("Job execution failed.", new IllegalStateException(
        "Recovery is suppressed", new CompletionException(new FileNotFoundException("no such file:\n  /x/_metadata"))));
    assertThat(ErrorReports.rootCause(flinkLike)).isEqualTo("FileNotFoundException: no such file: /x/_metadata");
    assertThat(ErrorReports.rootCause(new RuntimeException("outer", new NullPointerException())))
        .isEqualTo("NullPointerException (outer)");
    assertThat(ErrorReports.rootCause(new IOException("m".repeat(5000)))).hasSizeLessThan(500);
  }
}
