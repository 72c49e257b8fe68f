package dev.streamgrad.cli;

import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.JobRunner;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the command line reports what went wrong. A usage error (an unknown option, a missing or bad
 * value) is one line on stderr, {@code streamgrad run: message (see 'streamgrad help run')}, and
 * exit code 2. A failure while a command runs, such as a job that fails, is its root cause in one
 * short paragraph (class and message, on one line, cut), and exit code 1; {@code --verbose} adds
 * the whole stack trace, Flink's included.
 */
final class ErrorReports implements IParameterExceptionHandler, IExecutionExceptionHandler {
  static final String VERBOSE = "--verbose";

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    String message = ex.getMessage();
    if (ex instanceof UnmatchedArgumentException) {
      UnmatchedArgumentException u = (UnmatchedArgumentException) ex;
      List<String> unmatched = u.getUnmatched();
      if (cmd.getParent() == null && !cmd.getSubcommands().isEmpty() && !unmatched.isEmpty()
          && !unmatched.get(0).startsWith("-")) {
        message = "unknown command '" + unmatched.get(0) + "'";
      }
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
            + "?";
      }
    }
    String help = cmd.getParent() == null ? name + " --help" : "streamgrad help " + cmd.getCommandName();
    PrintWriter err = cmd.getErr();
    err.println(name + ": " + ConsoleText.oneLine(message, ConsoleText.MESSAGE_CHARS) + " (see '" + help + "')");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    Throwable failure = ex instanceof JobFailure ? ex.getCause() : ex;
    String what = ex instanceof JobFailure ? "job " + ((JobFailure) ex).job() + " failed"
        : cmd.getCommandSpec().qualifiedName() + " failed";
    err.println(what + ": " + rootCause(failure));
    String log = System.getProperty(JobRunner.LOG_FILE);
    if (verbose(parsed)) {
      failure.printStackTrace(err);
    } else {
      err.println("(run again with " + VERBOSE + " for the stack trace" + (log != null ? "; Flink's log: " + log : "")
          + ")");
    }
    err.flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  /** Whether {@code --verbose} was given, on the top command or a subcommand. */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(VERBOSE)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The innermost cause of {@code t} as {@code SimpleClassName: message} on one line, cut; Flink's
   * serialized exceptions (from other threads or processes) show the original class. When the
   * innermost cause has no message, the nearest one with a message is added.
   */
  static String rootCause(Throwable t) {
    Throwable root = t;
    String lastMessage = null;
    for (int depth = 0; depth < 100; depth++) {
      if (root.getMessage() != null && !root.getMessage().isBlank()) {
        lastMessage = root.getMessage();
      }
      if (root.getCause() == null || root.getCause() == root) {
        break;
      }
      root = root.getCause();
    }
    String cls = root.getClass().getName();
    String message = root.getMessage();
    if ("org.apache.flink.util.SerializedThrowable".equals(cls)) {
      // its toString() is "original.ClassName: message"
      String s = root.toString();
      int colon = s.indexOf(": ");
      cls = colon < 0 ? s : s.substring(0, colon);
      message = colon < 0 ? null : s.substring(colon + 2);
    }
    String simple = cls.substring(cls.lastIndexOf('.') + 1);
    String text = message != null && !message.isBlank() ? simple + ": " + message
        : lastMessage != null ? simple + " (" + lastMessage + ")" : simple;
    return ConsoleText.oneLine(text, ConsoleText.MESSAGE_CHARS);
  }
}
