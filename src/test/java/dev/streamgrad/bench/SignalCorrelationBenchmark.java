package dev.streamgrad.bench;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.signal.Boundary;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Method;
import dev.streamgrad.signal.Mode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Correlation.correlate2d} (zero fill) on the sizes of issue 3, by each method. Run with
 * {@code sh src/test/bench/run-signal-benchmarks.sh}, which also times scipy on the same sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 12, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SignalCorrelationBenchmark {
  /** Input and kernel sizes: {@code HxW*KHxKW}. */
  @Param({"28x28*3x3", "256x256*5x5", "512x512*31x31"})
  public String size;

  @Param({"full", "valid"})
  public String mode;

  @Param({"auto", "direct", "fft"})
  public String method;

  private Tensor image;
  private Tensor kernel;
  private Mode outputMode;
  private Method how;

  @Setup
  public void setup() {
    String[] parts = size.split("\\*");
    int[] a = dims(parts[0]);
    int[] k = dims(parts[1]);
    image = Tensor.randn(1, a[0], a[1]);
    kernel = Tensor.randn(2, k[0], k[1]);
    outputMode = Mode.of(mode);
    how = Method.of(method);
  }

  private static int[] dims(String s) {
    String[] d = s.split("x");
    return new int[] {Integer.parseInt(d[0]), Integer.parseInt(d[1])};
  }

  @Benchmark
  public Tensor correlate2d() {
    return Correlation.correlate2d(image, kernel, outputMode, Boundary.FILL, 0.0, how);
  }
}
