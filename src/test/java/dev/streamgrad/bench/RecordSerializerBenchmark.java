package dev.streamgrad.bench;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.records.RecordTypeInfo;
import dev.streamgrad.records.TensorCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
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
 * Per-record cost of the keyBy shuffle's serializer on the main job's records (28x28 input, 26x26
 * target, made by {@link TensorCodec#encode}), through Flink's {@link DataOutputSerializer} and
 * {@link DataInputDeserializer} as the network stack's record writer and reader use them: {@code
 * serializer=avro} is Flink's {@code AvroSerializer} (what {@code AvroTypeInfo} gives, the reference),
 * {@code serializer=record} streamgrad's {@code LabeledTensorRecordSerializer} ({@link
 * RecordTypeInfo#LABELED}). {@code serialize} writes one record, {@code deserialize} reads one back,
 * {@code roundTrip} does both. {@code copyFloor} (the same whatever the serializer) is the least any
 * deserializer of a stream does: allocate the two fresh data arrays and copy the bytes into them;
 * what a serializer costs beyond it is the part a better one could still save.
 *
 * <p>Run:
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main RecordSerializerBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordSerializerBenchmark {
  private static final int POOL = 64;

  @Param({"FLOAT32", "FLOAT64"})
  public DType dtype;

  @Param({"avro", "record"})
  public String serializer;

  private TypeSerializer<LabeledTensorRecord> ser;
  private LabeledTensorRecord[] records;
  private byte[][] encoded;
  private final DataOutputSerializer out = new DataOutputSerializer(16 * 1024);
  private final DataInputDeserializer in = new DataInputDeserializer();
  private int next;

  @Setup
  public void setup() throws IOException {
    ser = "avro".equals(serializer)
        ? new AvroTypeInfo<>(LabeledTensorRecord.class).createSerializer(new SerializerConfigImpl())
        : RecordTypeInfo.LABELED.createSerializer(new SerializerConfigImpl());
    Random rng = new Random(7);
    records = new LabeledTensorRecord[POOL];
    encoded = new byte[POOL][];
    for (int i = 0; i < POOL; i++) {
      records[i] = LabeledTensorRecord.newBuilder()
          .setModel("alpha").setSeq(i).setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
          .setInput(TensorCodec.encode(Tensor.randn(rng, 28, 28), dtype))
          .setTarget(TensorCodec.encode(Tensor.randn(rng, 26, 26), dtype)).build();
      out.clear();
      ser.serialize(records[i], out);
      encoded[i] = out.getCopyOfBuffer();
    }
  }

  private int nextIndex() {
    int i = next;
    next = (next + 1) % POOL;
    return i;
  }

  @Benchmark
  public int serialize() throws IOException {
    out.clear();
    ser.serialize(records[nextIndex()], out);
    return out.length();
  }

  @Benchmark
  public LabeledTensorRecord deserialize() throws IOException {
    in.setBuffer(encoded[nextIndex()]);
    return ser.deserialize(in);
  }

  @Benchmark
  public LabeledTensorRecord roundTrip() throws IOException {
    out.clear();
    ser.serialize(records[nextIndex()], out);
    in.setBuffer(out.getSharedBuffer(), 0, out.length());
    return ser.deserialize(in);
  }

  @Benchmark
  public byte[] copyFloor() throws IOException {
    in.setBuffer(encoded[nextIndex()]);
    int n = TensorCodec.itemSize(dtype);
    byte[] a = new byte[28 * 28 * n];
    byte[] b = new byte[26 * 26 * n];
    in.readFully(a);
    in.readFully(b);
    return b;
  }
}
