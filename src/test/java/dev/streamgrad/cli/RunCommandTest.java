package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Spec errors end {@code run} with exit code 2 and the file + key message, before any job starts. */
class RunCommandTest {
  @TempDir
  Path dir;

  private record Outcome(int code, String out, String err) {}

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path spec(String yaml) throws IOException {
    Path f = dir.resolve("job.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private static final String GOOD = "source: {type: generator, count: 10, shape: [6, 6]}\n"
      + "layer: {type: conv2d, kernel: [3, 3]}\n"
      + "train: {optimizer: {type: sgd, lr: 0.1}}\n"
      + "sink: {type: print}\n";

  private void exits2(Outcome o, String message) {
    assertThat(o.code()).as("exit code; stderr: %s", o.err()).isEqualTo(2);
    assertThat(o.err().trim()).isEqualTo(message);
    assertThat(o.out()).as("no job started").doesNotContain("Flink web UI");
  }

  @Test
  void unknownKey() throws IOException {
    Path f = spec(GOOD.replace("lr: 0.1", "lr: 0.1, lrr: 2"));
    exits2(run("run", f.toString()), f + ": train.optimizer.lrr: unknown key (expected one of: type, lr, momentum,"
        + " dampening, nesterov, weightDecay)");
  }

  @Test
  void wrongType() throws IOException {
    Path f = spec(GOOD.replace("count: 10", "count: many"));
    exits2(run("run", f.toString()), f + ": source.count: expected an integer, got string 'many'");
  }

  @Test
  void badValueFromSet() throws IOException {
    Path f = spec(GOOD);
    exits2(run("run", f.toString(), "--set", "train.optimizer.lr=-1"), f + ": train.optimizer.lr: must be > 0, got -1");
  }

  @Test
  void missingInputFile() throws IOException {
    Path f = spec(GOOD.replace("{type: generator, count: 10, shape: [6, 6]}", "{type: avro-file, path: no/such.avro}"));
    exits2(run("run", f.toString()), f + ": source.path: no such file or folder: no/such.avro");
  }

  @Test
  void missingSpecFile() {
    exits2(run("run", dir.resolve("absent.yaml").toString()), dir.resolve("absent.yaml") + ": no such file");
  }

  @Test
  void kernelLargerThanGeneratorShape() throws IOException {
    Path f = spec(GOOD);
    exits2(run("run", f.toString(), "--set", "layer.kernel=[7, 3]"),
        f + ": layer.kernel: kernel 7x3 is larger than the generator's source.shape 6x6");
  }

  @Test
  void badStopAfter() throws IOException {
    Path f = spec(GOOD);
    exits2(run("run", f.toString(), "--stop-after", "soon"),
        "streamgrad run: --stop-after: expected a duration like 500ms, 10s, 2m or 1h, got 'soon'"
            + " (see 'streamgrad help run')");
  }
}
