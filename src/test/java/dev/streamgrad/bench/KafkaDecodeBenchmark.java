package dev.streamgrad.bench;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.kafka.SingleObjectCodec;
import dev.streamgrad.kafka.UndecodableException;
import dev.streamgrad.records.AvroBinaryCheck;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.TensorCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
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
 * Per-record cost of the {@code kafka} source's decode operator on the main job's records (28x28
 * input, 26x26 target): {@code decode} is {@link SingleObjectCodec#decode} as the operator runs it
 * (header, the bounds walk of {@link AvroBinaryCheck}, Avro's fast reader); {@code binaryCheck} is
 * that walk alone; {@code specificDatumReader} is Avro's plain {@link SpecificDatumReader} on the
 * same bytes without the walk, the reference measured in the same run.
 *
 * <p>Run (documented in docs/jobs.md, "Kafka"):
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main KafkaDecodeBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KafkaDecodeBenchmark {
  private static final int POOL = 64;

  @Param({"FLOAT32", "FLOAT64"})
  public DType dtype;

  private final SingleObjectCodec<LabeledTensorRecord> codec = SingleObjectCodec.of(LabeledTensorRecord.class);
  private byte[][] values;
  private Schema schema;
  private SpecificDatumReader<LabeledTensorRecord> plainReader;
  private BinaryDecoder decoder;
  private int next;

  @Setup
  public void setup() {
    Random rng = new Random(7);
    values = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      LabeledTensorRecord r = LabeledTensorRecord.newBuilder()
          .setModel("alpha").setSeq(i).setEventTime(Instant.ofEpochMilli(i))
          .setInput(TensorCodec.encode(Tensor.randn(rng, 28, 28), dtype))
          .setTarget(TensorCodec.encode(Tensor.randn(rng, 26, 26), dtype)).build();
      values[i] = codec.encode(r);
    }
    schema = LabeledTensorRecord.getClassSchema();
    plainReader = new SpecificDatumReader<>(LabeledTensorRecord.class);
  }

  private byte[] nextValue() {
    byte[] v = values[next];
    next = (next + 1) % POOL;
    return v;
  }

  @Benchmark
  public LabeledTensorRecord decode() throws UndecodableException {
    return codec.decode(nextValue());
  }

  @Benchmark
  public int binaryCheck() throws InvalidRecordException {
    byte[] v = nextValue();
    return AvroBinaryCheck.datumEnd(schema, v, SingleObjectCodec.HEADER_LENGTH, v.length);
  }

  @Benchmark
  public LabeledTensorRecord specificDatumReader() throws IOException {
    byte[] v = nextValue();
    decoder = DecoderFactory.get().binaryDecoder(v, SingleObjectCodec.HEADER_LENGTH,
        v.length - SingleObjectCodec.HEADER_LENGTH, decoder);
    return plainReader.read(null, decoder);
  }
}
