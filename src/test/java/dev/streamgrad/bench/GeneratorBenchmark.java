package dev.streamgrad.bench;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.records.TensorCodec;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-record cost of the generator source's work on the main job's records (28x28 float32 labeled,
 * 3x3 hidden filter): {@code labeled} is one whole record as the source makes it; {@code gaussians}
 * (its 1,460 standard-normal draws), {@code correlate} (the target's correlation) and {@code encode}
 * (one tensor to little-endian bytes) are its parts, measured in the same run.
 *
 * <p>Run (documented in docs/jobs.md):
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main GeneratorBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GeneratorBenchmark {
  private SyntheticRecords records;
  private long i;
  private SplittableRandom rng;
  private Tensor input;
  private Tensor filter;

  @Setup
  public void setUp() {
    records = new SyntheticRecords(new GeneratorSpec(-1, 0, java.util.List.of("alpha", "beta"), new int[] {28, 28}, 42,
        0.01, DType.FLOAT32, java.util.Arrays.copyOf(GeneratorSpec.drawTrueFilter(7, 3, 3), 3), 0.1));
    rng = new SplittableRandom(1);
    input = Tensor.randn(new java.util.Random(2), 28, 28);
    filter = Tensor.randn(new java.util.Random(3), 3, 3);
  }

  @Benchmark
  public LabeledTensorRecord labeled() {
    return records.labeled(i++);
  }

  @Benchmark
  public double gaussians() {
    double s = 0;
    for (int k = 0; k < 784 + 676; k++) {
      s += rng.nextGaussian();
    }
    return s;
  }

  @Benchmark
  public Tensor correlate() {
    return Correlation.correlate2d(input, filter, Mode.VALID);
  }

  @Benchmark
  public Object encode() {
    return TensorCodec.encode(input, DType.FLOAT32);
  }
}
