package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.AvroPayloads;
import dev.streamgrad.records.RecordTypeInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of bad input reaches the dead-letter side output with its reason, in one job with the
 * three operators, and nothing is lost: for each operator the counters say records in = out + dead.
 */
class DeadLetterITCase {
  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
          .setConfiguration(REPORTER.addToConfiguration(new Configuration())).build());

  private static Tensor with(Tensor t, int flat, double v) {
    Tensor c = t.copy();
    c.buffer()[flat] = v;
    return c;
  }

  @Test
  void everyBadInputKindIsADeadLetterAndCountersBalance() throws Exception {
    Random rng = new Random(3);
    LayerSpec layer = Conv2dSpec.seeded(3, 3, 9);
    List<LabeledTensorRecord> labeled = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      labeled.add(TestRecords.random("m", i, rng, 8, 8, 3, 3));
    }
    Tensor x = Tensor.randn(rng, 8, 8);
    Tensor y = Tensor.randn(rng, 6, 6);
    LabeledTensorRecord shortInput = TestRecords.labeled("m", 100, x, y);
    shortInput.getInput().setData(ByteBuffer.wrap(new byte[100]));
    labeled.add(shortInput);
    labeled.add(TestRecords.labeled("m", 101, with(x, 3, Double.NaN), y));
    labeled.add(TestRecords.labeled("m", 102, x, with(y, 35, Double.NEGATIVE_INFINITY)));
    labeled.add(TestRecords.labeled("m", 103, x, Tensor.randn(rng, 6, 5)));
    labeled.add(TestRecords.labeled("m", 104, Tensor.randn(rng, 2, 8), Tensor.randn(rng, 1, 6)));
    labeled.add(TestRecords.labeled("m", 105, x.mul(1e200), y));

    List<TensorRecord> unlabeled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      unlabeled.add(TestRecords.tensor("m", i, Tensor.randn(rng, 7, 9), i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64));
    }
    TensorRecord wrongLength = TestRecords.tensor("m", 100, x, DType.FLOAT32);
    wrongLength.getTensor().setShape(List.of(8, 9));
    unlabeled.add(wrongLength);
    unlabeled.add(TestRecords.tensor("m", 101, with(x, 0, Double.POSITIVE_INFINITY), DType.FLOAT64));
    unlabeled.add(TestRecords.tensor("m", 102, Tensor.randn(rng, 8, 2), DType.FLOAT64));
    unlabeled.add(TestRecords.tensor("ghost", 0, x, DType.FLOAT64));

    StreamExecutionEnvironment env = TrainerParityITCase.env();
    TypeInformation<TensorRecord> tensorType = RecordTypeInfo.UNLABELED;
    SingleOutputStreamOperator<TensorRecord> forward = Operators.forward(
        env.fromData(unlabeled, tensorType).setParallelism(1), layer);
    SingleOutputStreamOperator<FilterSnapshot> train = Operators.train(
        env.fromData(labeled, RecordTypeInfo.LABELED).setParallelism(1), layer,
        new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, false), 1, 10));
    SingleOutputStreamOperator<Prediction> predict = Operators.predict(
        env.fromData(unlabeled, tensorType).setParallelism(1), train, layer, null);
    CloseableIterator<DeadLetter> dead = forward.getSideOutput(DeadLetters.TAG)
        .union(train.getSideOutput(DeadLetters.TAG), predict.getSideOutput(DeadLetters.TAG)).collectAsync();
    CloseableIterator<TensorRecord> forwarded = forward.collectAsync();
    CloseableIterator<Prediction> predictions = predict.collectAsync();
    CloseableIterator<FilterSnapshot> snapshots = train.collectAsync();
    JobClient job = env.executeAsync("dead letters");
    CompletableFuture<List<DeadLetter>> lettersF = drainAsync(dead);
    CompletableFuture<List<TensorRecord>> fwdF = drainAsync(forwarded);
    CompletableFuture<List<Prediction>> predsF = drainAsync(predictions);
    CompletableFuture<List<FilterSnapshot>> snapsF = drainAsync(snapshots);
    job.getJobExecutionResult().get();
    List<DeadLetter> letters = lettersF.get();
    List<TensorRecord> fwd = fwdF.get();
    List<Prediction> preds = predsF.get();
    List<FilterSnapshot> snaps = snapsF.get();

    assertThat(reasons(letters, Uids.TRAINER)).containsExactlyInAnyOrder(
        "input: tensor data has 100 bytes but shape [8, 8] of FLOAT64 needs 512 (64 x 8)",
        "input: tensor value NaN at flat index 3 (index [0, 3]) is not finite",
        "target: tensor value -Infinity at flat index 35 (index [5, 5]) is not finite",
        "target: shape [6, 5] does not match the layer's output shape [6, 6] for input [8, 8]",
        "input: conv2d input of shape [2, 8] is smaller than the filter of shape [3, 3]",
        "loss is Infinity; update skipped, state unchanged");
    List<String> bad = List.of(
        "tensor: tensor data has 256 bytes but shape [8, 9] of FLOAT32 needs 288 (72 x 4)",
        "tensor: tensor value Infinity at flat index 0 (index [0, 0]) is not finite",
        "tensor: conv2d input of shape [8, 2] is smaller than the filter of shape [3, 3]");
    assertThat(reasons(letters, Uids.FORWARD)).containsExactlyInAnyOrderElementsOf(bad);
    List<String> predictorBad = new ArrayList<>(bad);
    predictorBad.add("no model 'ghost' arrived before end of input");
    assertThat(reasons(letters, Uids.PREDICTOR)).containsExactlyInAnyOrderElementsOf(predictorBad);
    assertThat(fwd).hasSize(21);
    assertThat(preds).hasSize(20);
    assertThat(snaps).extracting(FilterSnapshot::getVersion).containsExactly(10L, 20L, 30L);
    assertThat(preds).allSatisfy(p -> assertThat(p.getModelVersion()).isIn(10L, 20L, 30L));
    assertThat(letters).allSatisfy(d -> assertThat(d.getPayload()).isNotNull());

    JobID id = job.getJobID();
    assertCounters(id, "forward.*", unlabeled.size(), 21, 3);
    assertCounters(id, "train.*", labeled.size(), 30, 6);
    assertCounters(id, "predict.*", unlabeled.size(), 20, 4);
  }

  /**
   * Records that Avro's writer cannot carry (null fields) and invalid ones cross the shuffle
   * (parallelism 1 to 2) with the type the sources give their streams, and each is a dead letter with
   * the reason the operator gives the record itself; a payload, where the record can be encoded,
   * decodes to exactly the record that was sent. A valid record in a read-only direct buffer trains.
   */
  @Test
  void nullAndInvalidFieldsCrossTheShuffleAndAreDeadLettersWithTheirReason() throws Exception {
    Random rng = new Random(4);
    LayerSpec layer = Conv2dSpec.seeded(3, 3, 9);
    Tensor x = Tensor.randn(rng, 8, 8);
    Tensor y = Tensor.randn(rng, 6, 6);
    List<LabeledTensorRecord> labeled = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      labeled.add(TestRecords.random("m", i, rng, 8, 8, 3, 3));
    }
    LabeledTensorRecord direct = TestRecords.labeled("m", 10, x, y);
    ByteBuffer buffer = ByteBuffer.allocateDirect(600);
    buffer.position(7).put(direct.getInput().getData()).flip().position(7);
    direct.getInput().setData(buffer.asReadOnlyBuffer());
    labeled.add(direct);
    List<Consumer<LabeledTensorRecord>> breaks = List.of(
        r -> r.setModel(null),
        r -> r.put(2, null), // the setter refuses a null event time
        r -> r.setInput(null),
        r -> r.getTarget().setShape(null),
        r -> r.getInput().setDtype(null),
        r -> r.getTarget().setData(null),
        r -> r.getInput().setShape(List.of(8, -8)),
        r -> r.getInput().setShape(Arrays.asList(null, 8)),
        r -> r.getInput().setData(ByteBuffer.allocate(0)));
    List<String> expected = List.of(
        "model is missing (null)",
        "eventTime is missing (null)",
        "input: tensor is missing (null)",
        "target: tensor shape is missing (null)",
        "input: tensor dtype is missing (null)",
        "target: tensor data is missing (null)",
        "input: tensor shape [8, -8] has a non-positive dimension -8 at axis 1",
        "input: tensor shape [null, 8] has a non-positive dimension null at axis 0",
        "input: tensor data has 0 bytes but shape [8, 8] of FLOAT64 needs 512 (64 x 8)");
    for (int i = 0; i < breaks.size(); i++) {
      LabeledTensorRecord r = TestRecords.labeled("m", 100 + i, x, y);
      breaks.get(i).accept(r);
      labeled.add(r);
    }

    List<TensorRecord> unlabeled = new ArrayList<>();
    TensorRecord u = TestRecords.tensor("m", 0, x, DType.FLOAT32);
    u.setKey(null);
    unlabeled.add(u);
    u = TestRecords.tensor("m", 1, x, DType.FLOAT32);
    u.setTensor(null);
    unlabeled.add(u);
    u = TestRecords.tensor("m", 2, x, DType.FLOAT32);
    u.getTensor().setData(null);
    unlabeled.add(u);
    unlabeled.add(TestRecords.tensor("m", 3, x, DType.FLOAT32));

    StreamExecutionEnvironment env = TrainerParityITCase.env();
    SingleOutputStreamOperator<FilterSnapshot> train = Operators.train(
        env.fromData(labeled, RecordTypeInfo.LABELED).setParallelism(1), layer,
        new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, false), 1, 100));
    SingleOutputStreamOperator<TensorRecord> forward = Operators.forward(
        env.fromData(unlabeled, RecordTypeInfo.UNLABELED).setParallelism(1).rebalance(), layer);
    CloseableIterator<DeadLetter> dead =
        train.getSideOutput(DeadLetters.TAG).union(forward.getSideOutput(DeadLetters.TAG)).collectAsync();
    CloseableIterator<FilterSnapshot> snapshots = train.collectAsync();
    CloseableIterator<TensorRecord> forwarded = forward.collectAsync();
    JobClient job = env.executeAsync("null fields across the shuffle");
    CompletableFuture<List<DeadLetter>> lettersF = drainAsync(dead);
    CompletableFuture<List<FilterSnapshot>> snapsF = drainAsync(snapshots);
    CompletableFuture<List<TensorRecord>> fwdF = drainAsync(forwarded);
    job.getJobExecutionResult().get();
    List<DeadLetter> letters = lettersF.get();

    assertThat(reasons(letters, Uids.TRAINER)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(reasons(letters, Uids.FORWARD)).containsExactlyInAnyOrder("key is missing (null)",
        "tensor: tensor is missing (null)", "tensor: tensor data is missing (null)");
    for (DeadLetter d : letters) {
      if (d.getStage().equals(Uids.TRAINER)) {
        int i = (int) (d.getSeq() - 100);
        assertThat(d.getReason()).isEqualTo(expected.get(i));
        if (d.getPayload() != null) {
          byte[] payload = new byte[d.getPayload().remaining()];
          d.getPayload().duplicate().get(payload);
          assertThat(AvroPayloads.decode(payload, LabeledTensorRecord.class)).isEqualTo(labeled.get(11 + i));
        }
      }
    }
    // the records without a null field, which Avro can encode
    assertThat(letters).filteredOn(d -> d.getPayload() != null).extracting(DeadLetter::getSeq)
        .containsExactlyInAnyOrder(106L, 108L);
    assertThat(snapsF.get()).last().extracting(FilterSnapshot::getRecords).isEqualTo(11L);
    assertThat(fwdF.get()).extracting(TensorRecord::getSeq).containsExactly(3L);
  }

  private static void assertCounters(JobID id, String operator, long in, long out, long dead) {
    long[] sums = new long[3];
    List<OperatorMetricGroup> groups = REPORTER.findOperatorMetricGroups(id, operator);
    assertThat(groups).as("metric groups of %s", operator).isNotEmpty();
    for (OperatorMetricGroup g : groups) {
      java.util.Map<String, Metric> metrics = REPORTER.getMetricsByGroup(g);
      sums[0] += ((Counter) metrics.get("recordsIn")).getCount();
      sums[1] += ((Counter) metrics.get("recordsOut")).getCount();
      sums[2] += ((Counter) metrics.get("recordsDead")).getCount();
    }
    assertThat(sums).as("in, out, dead of %s", operator).containsExactly(in, out, dead);
    assertThat(sums[0]).isEqualTo(sums[1] + sums[2]);
  }

  private static List<String> reasons(List<DeadLetter> letters, String stage) {
    return letters.stream().filter(d -> d.getStage().equals(stage)).map(DeadLetter::getReason).toList();
  }

  /** Drains every iterator concurrently: a collect sink's job does not end until its results are fetched. */
  static <T> CompletableFuture<List<T>> drainAsync(CloseableIterator<T> it) {
    return CompletableFuture.supplyAsync(() -> {
      List<T> out = new ArrayList<>();
      try (it) {
        it.forEachRemaining(out::add);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return out;
    });
  }
}
