package dev.streamgrad.bench;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.signal.ComplexTensor;
import dev.streamgrad.signal.Fft;
import dev.streamgrad.signal.Norm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Fft.rfft2} and {@code Fft.irfft2} (single-threaded, the default) on the sizes of issue 3.
 * Run with {@code sh src/test/bench/run-signal-benchmarks.sh}, which also times numpy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 12, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SignalFftBenchmark {
  /** Square input size. */
  @Param({"8", "256", "1024"})
  public int n;

  private Tensor x;
  private ComplexTensor spectrum;
  private int[] s;

  @Setup
  public void setup() {
    x = Tensor.randn(3, n, n);
    spectrum = Fft.rfft2(x);
    s = new int[] {n, n};
  }

  @Benchmark
  public ComplexTensor rfft2() {
    return Fft.rfft2(x);
  }

  @Benchmark
  public Tensor irfft2() {
    return Fft.irfft2(spectrum, s, Norm.BACKWARD);
  }
}
