package dev.streamgrad.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The {@code streamgrad} command line as {@link Main} runs it: output in UTF-8 on stdout and stderr
 * ({@link PrintWriter#checkError()} sees a closed pipe, so {@code inspect ... | head} stops quietly),
 * and errors reported by {@link ErrorReports}. Kept apart from {@link Main}, which must load with
 * the JDK alone.
 */
public final class Cli {
  private Cli() {}

  /** A new, fully configured command line; tests replace its writers with {@code setOut}/{@code setErr}. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    ErrorReports reports = new ErrorReports();
    cli.setParameterExceptionHandler(reports);
    cli.setExecutionExceptionHandler(reports);
    return cli;
  }
}
