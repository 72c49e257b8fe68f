package dev.streamgrad.bench;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.flink.ModelTrainer;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordValidator;
import dev.streamgrad.records.TensorCodec;
import java.time.Instant;
import java.util.Random;
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
 * Per-record cost of the trainer's work, on the sizes (28x28 records, 3x3 filter):
 * {@code step} is one training step on decoded tensors (conv2d forward, mse loss, backward without
 * input gradient, optimizer step: what the Flink trainer does per record apart from state access);
 * {@code decodeAndStep} adds the validation and decoding of the Avro record; {@code forwardOnly} is
 * the reference measured in the same run (one conv2d forward, no graph), so the ratio
 * step/forwardOnly shows what autograd and the optimizer cost on top of the layer itself.
 *
 * <p>Run (documented in docs/operators.md):
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main TrainerBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainerBenchmark {
  private static final int POOL = 64;

  @Param({"sgd", "adam"})
  public String optimizer;

  private ModelTrainer trainer;
  private TrainerState state;
  private Tensor[] inputs;
  private Tensor[] targets;
  private LabeledTensorRecord[] records;
  private Conv2d layer;
  private int next;

  @Setup
  public void setup() {
    OptimizerSpec opt = "sgd".equals(optimizer)
        ? OptimizerSpec.sgd(1e-3, 0.9, 0, 0, false)
        : OptimizerSpec.adam(1e-3, 0.9, 0.999, 1e-8, 0, false);
    LayerSpec conv = Conv2dSpec.seeded(3, 3, 1);
    trainer = new ModelTrainer(conv, new TrainConfig(opt, 1, 1000));
    state = trainer.initialState();
    layer = new Conv2d(3, 3, 1);
    Random rng = new Random(7);
    inputs = new Tensor[POOL];
    targets = new Tensor[POOL];
    records = new LabeledTensorRecord[POOL];
    for (int i = 0; i < POOL; i++) {
      inputs[i] = Tensor.randn(rng, 28, 28);
      targets[i] = Tensor.randn(rng, 26, 26);
      records[i] = LabeledTensorRecord.newBuilder().setModel("m").setSeq(i).setEventTime(Instant.EPOCH)
          .setInput(TensorCodec.encode(inputs[i], DType.FLOAT32))
          .setTarget(TensorCodec.encode(targets[i], DType.FLOAT32)).build();
    }
  }

  @Benchmark
  public boolean step() throws InvalidRecordException {
    int i = next++ & (POOL - 1);
    return trainer.offer(state, inputs[i], targets[i], i);
  }

  @Benchmark
  public boolean decodeAndStep() throws InvalidRecordException {
    int i = next++ & (POOL - 1);
    RecordValidator.LabeledExample ex = RecordValidator.exampleOf(records[i]);
    return trainer.offer(state, ex.input(), ex.target(), i);
  }

  @Benchmark
  public Tensor forwardOnly() {
    int i = next++ & (POOL - 1);
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      return layer.forward(inputs[i]);
    }
  }
}
