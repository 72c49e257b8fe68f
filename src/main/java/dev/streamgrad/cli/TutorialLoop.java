package dev.streamgrad.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference the bench compares with: the tutorial's own training loop ({@code ScipyConv2dFunction}
 * + {@code mse_loss} + {@code torch.optim.SGD}, one float32 record at a time), run by
 * {@code src/test/python/tutorial_loop_throughput.py} on the same machine, in the same invocation.
 */
final class TutorialLoop {
  private static final Path SCRIPT = Path.of("src/test/python/tutorial_loop_throughput.py");

  private TutorialLoop() {}

  /** Records per second of the tutorial's loop, or null (said on {@code out}) when it could not run. */
  static Double recordsPerSecond(String python, int records, int[] input, int[] kernel, PrintWriter out)
      throws Exception {
    if (!Files.exists(SCRIPT)) {
      out.println("tutorial loop skipped: " + SCRIPT + " not found (run from the repository root)");
      return null;
    }
    if (input[0] != input[1] || kernel[0] != kernel[1]) {
      out.println("tutorial loop skipped: it runs square inputs and filters only");
      return null;
    }
    Process p = new ProcessBuilder(python, SCRIPT.toString(), "--records", Integer.toString(records),
        "--size", Integer.toString(input[0]), "--kernel", Integer.toString(kernel[0])).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(lines::add);
    }
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      out.println("tutorial loop failed: " + String.join(" / ", lines));
      return null;
    }
    for (String l : lines) {
      if (l.startsWith("records_per_second ")) {
        return Double.parseDouble(l.substring("records_per_second ".length()).trim());
      }
    }
    out.println("tutorial loop printed no rate: " + String.join(" / ", lines));
    return null;
  }
}
