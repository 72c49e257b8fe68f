package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.DType;
import dev.streamgrad.records.RecordLimits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record-size limit at its edge, end to end: {@code streamgrad run} in a JVM with a 512 MB heap
 * trains generator records of the largest square shape {@link RecordLimits} allows, without running
 * out of memory, and rejects one row and column more with exit code 2 before starting anything.
 */
class RecordLimitsITCase {
  private static final long HEAP = 512L << 20;

  @TempDir
  Path dir;

  private record Run(int code, String log) {}

  private Run run(int parallelism, int side) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xms" + (HEAP >> 20) + "m");
    cmd.add("-Xmx" + (HEAP >> 20) + "m");
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.streamgrad.cli.Main", "run",
        Path.of("jobs/train-conv2d.yaml").toAbsolutePath().toString(), "--web-port", "0",
        "--set", "parallelism=" + parallelism, "--set", "source.count=6", "--set", "source.dtype=float64",
        "--set", "source.shape=[" + side + ", " + side + "]",
        "--set", "sink.path=" + dir.resolve("out-" + parallelism + "-" + side)));
    Path log = dir.resolve("run-" + parallelism + "-" + side + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
      return new Run(p.exitValue(), Files.readString(log));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void theLargestShapeTrainsAndOneMoreIsRejected() throws Exception {
    for (int parallelism : new int[] {1, 2}) {
      long max = RecordLimits.of(HEAP, parallelism).maxElements(DType.FLOAT64);
      int side = (int) Math.sqrt((double) max);
      Run atLimit = run(parallelism, side);
      assertThat(atLimit.code()).as(atLimit.log()).isZero();
      assertThat(atLimit.log()).doesNotContain("OutOfMemoryError").contains("6 records in");
      Run over = run(parallelism, side + 1);
      assertThat(over.code()).as(over.log()).isEqualTo(2);
      assertThat(over.log().trim()).endsWith("source.shape: [" + (side + 1) + ", " + (side + 1) + "] is "
          + String.format(java.util.Locale.ROOT, "%,d", (long) (side + 1) * (side + 1)) + " elements, more than the "
          + RecordLimits.of(HEAP, parallelism).describe(DType.FLOAT64) + " (docs/jobs.md, \"Record size\")");
    }
  }
}
