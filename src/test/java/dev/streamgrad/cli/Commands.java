package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as separate processes, as a user's shell does: the distribution's {@code
 * bin/streamgrad} (built by {@code mvn package}, so only {@code *ITCase}s use it) or {@code java -jar}.
 */
final class Commands {
  static final String VERSION = System.getProperty("streamgrad.project.version", "0.1.0-SNAPSHOT");
  /** The distribution folder that maven-assembly-plugin builds. */
  static final Path DIST = Path.of("target", "streamgrad-" + VERSION).toAbsolutePath();
  static final Path LAUNCHER = DIST.resolve("bin").resolve("streamgrad");
  static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  private Commands() {}

  /** What a finished process returned and printed. */
  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }

    String describe() {
      return "exit code " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  /** {@code bin/streamgrad ARGS} in {@code cwd}. */
  static Result streamgrad(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    return run(cwd, Map.of(), command);
  }

  /**
   * Starts {@code command} in {@code cwd} with stdout and stderr going to {@code out} and {@code
   * err}, and Flink's log to {@code target/it-logs}.
   */
  static Process start(Path cwd, Map<String, String> env, List<String> command, Path out, Path err)
      throws IOException {
    assertThat(LAUNCHER).as("the distribution, built by mvn package").isExecutable();
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("STREAMGRAD_LOG_DIR", Path.of("target", "it-logs").toAbsolutePath().toString());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("STREAMGRAD_OPTS");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Runs {@code command} to its end (at most 5 minutes) and returns what it printed. */
  static Result run(Path cwd, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("streamgrad-it", ".out");
    Path err = Files.createTempFile("streamgrad-it", ".err");
    try {
      Process p = start(cwd, env, command, out, err);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("still running after 5 minutes: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
