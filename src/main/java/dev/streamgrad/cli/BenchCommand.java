package dev.streamgrad.cli;

import dev.streamgrad.avro.DType;
import dev.streamgrad.job.ThroughputBench;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the trainer's end-to-end throughput (Avro decode, train, snapshots written) on the
 * embedded cluster, median of several runs, next to the tutorial's own PyTorch + scipy loop timed in
 * the same invocation ({@code src/test/python/tutorial_loop_throughput.py}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure training throughput end to end and compare with the tutorial's PyTorch loop.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--records", defaultValue = "1000000", description = "Labeled records per run. Default ${DEFAULT-VALUE}.")
  long records;

  @Option(names = "--models", defaultValue = "2", description = "Models (trainer keys). Default ${DEFAULT-VALUE}.")
  int models;

  @Option(names = "--size", defaultValue = "28", description = "Input size (square). Default ${DEFAULT-VALUE}.")
  int size;

  @Option(names = "--kernel", defaultValue = "3", description = "Filter size (square). Default ${DEFAULT-VALUE}.")
  int kernel;

  @Option(names = "--parallelism", defaultValue = "2", description = "Trainer parallelism. Default ${DEFAULT-VALUE}.")
  int parallelism;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs (median reported). Default ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--warmup", defaultValue = "2",
      description = "Untimed runs first, so the JIT has compiled the hot paths (as JMH's warm-up). Default ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--dtype", defaultValue = "float32",
      description = "Record dtype; float32 is what the tutorial's loop trains on. Default ${DEFAULT-VALUE}.")
  String dtype;

  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Python with numpy, scipy and torch for the reference loop; 'none' to skip. Default ${DEFAULT-VALUE}.")
  String python;

  @Option(names = "--python-records", defaultValue = "3000", description = "Records per timed pass of the reference loop.")
  int pythonRecords;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    if (records < models || models < 1 || kernel > size || runs < 1 || warmup < 0 || pythonRecords < 1) {
      command.commandLine().getErr().println("need --records >= --models >= 1, --kernel <= --size, --runs >= 1,"
          + " --warmup >= 0, --python-records >= 1 (skip the reference with --python none)");
      command.commandLine().getErr().flush();
      return 2;
    }
    List<String> keys = spreadKeys(models, parallelism);
    double[][] drawn = GeneratorSpec.drawTrueFilter(7, kernel, kernel);
    GeneratorSpec spec = new GeneratorSpec(records, 0, keys, new int[] {size, size}, 42, 0.01,
        DType.valueOf(dtype.toUpperCase(Locale.ROOT)), Arrays.copyOf(drawn, kernel), drawn[kernel][0]);
    out.printf(Locale.ROOT, "streamgrad trainer: %,d labeled %dx%d %s records, %dx%d filter, %d models, parallelism %d,"
        + " %d cores%n", records, size, size, dtype, kernel, kernel, models, parallelism,
        Runtime.getRuntime().availableProcessors());
    out.flush();
    double[] rates = new double[runs];
    for (int i = -warmup; i < runs; i++) {
      Path dir = Files.createTempDirectory("streamgrad-bench");
      try {
        ThroughputBench.Run r = ThroughputBench.run(spec, kernel, parallelism, 4096, dir);
        if (r.trainedPerModel() * models != records) {
          throw new IllegalStateException("only " + r.trainedPerModel() + " records per model were trained on");
        }
        String label = i < 0 ? "warm-up " + (i + warmup + 1) + " (not counted)" : "run " + (i + 1);
        out.printf(Locale.ROOT, "  %s: %,d records in %.2f s = %,.0f records/s (%.1f us of CPU per record)%n", label,
            r.records(), r.seconds(), r.recordsPerSecond(), r.cpuMicrosPerRecord());
        out.flush();
        if (i >= 0) {
          rates[i] = r.recordsPerSecond();
        }
      } finally {
        deleteTree(dir);
      }
    }
    double median = median(rates);
    out.printf(Locale.ROOT, "streamgrad median: %,.0f records/s%n", median);
    if (!"none".equals(python)) {
      Double ref = pythonReference(out);
      if (ref != null) {
        out.printf(Locale.ROOT, "tutorial loop (PyTorch + scipy, same machine, now): %,.0f records/s%n", ref);
        out.printf(Locale.ROOT, "ratio: %.1fx%n", median / ref);
      }
    }
    out.flush();
    return 0;
  }

  private Double pythonReference(PrintWriter out) throws Exception {
    Path script = Path.of("src/test/python/tutorial_loop_throughput.py");
    if (!Files.exists(script)) {
      out.println("reference loop skipped: " + script + " not found (run from the repository root)");
      return null;
    }
    Process p = new ProcessBuilder(python, script.toString(), "--records", Integer.toString(pythonRecords),
        "--size", Integer.toString(size), "--kernel", Integer.toString(kernel)).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(lines::add);
    }
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      out.println("reference loop failed: " + String.join(" / ", lines));
      return null;
    }
    for (String l : lines) {
      if (l.startsWith("records_per_second ")) {
        return Double.parseDouble(l.substring("records_per_second ".length()).trim());
      }
    }
    out.println("reference loop printed no rate: " + String.join(" / ", lines));
    return null;
  }

  /**
   * Model names that Flink's key-group hash spreads evenly over the trainer's subtasks (plain
   * {@code model-0}, {@code model-1} both land on subtask 1 of 2, which would time one core).
   */
  static List<String> spreadKeys(int models, int parallelism) {
    int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
    List<String> keys = new ArrayList<>();
    for (int n = 0; keys.size() < models; n++) {
      String k = "model-" + n;
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator(k, maxParallelism, parallelism)
          == keys.size() % parallelism) {
        keys.add(k);
      }
    }
    return keys;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
