package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.records.AvroPayloads;
import dev.streamgrad.records.TensorCodec;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The trainer in an operator test harness: PyTorch parity, snapshots, state layout, rejected records. */
// the harnesses' close() declares InterruptedException, which try-with-resources lint flags
@SuppressWarnings("try")
class TrainerFunctionTest {
  static List<ParityCase> cases() {
    return ParityCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void snapshotsEqualPytorchsTrainingLoop(ParityCase c) throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(c.layer, c.train)) {
      TrainerHarness.feed(h, c.records);
      h.processWatermark(Long.MAX_VALUE);
      assertMatches(h.extractOutputValues(), c.snapshots);
      assertThat(TrainerHarness.deadLetters(h)).isEmpty();
    }
  }

  static void assertMatches(List<FilterSnapshot> actual, List<ParityCase.Expected> expected) throws Exception {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      FilterSnapshot a = actual.get(i);
      ParityCase.Expected e = expected.get(i);
      assertThat(a.getVersion()).as("version of snapshot %d", i).isEqualTo(e.version);
      assertThat(a.getRecords()).as("records of snapshot %d", i).isEqualTo(e.records);
      Tensor filter = TensorCodec.decode(a.getFilter());
      assertThat(filter.shape()).isEqualTo(e.filter.shape());
      for (int k = 0; k < filter.numel(); k++) {
        assertThat(filter.buffer()[k]).as("filter[%d] of snapshot %d", k, i)
            .isCloseTo(e.filter.buffer()[k], within(1e-9 * Math.max(1, Math.abs(e.filter.buffer()[k]))));
      }
      assertThat(a.getBias()).as("bias of snapshot %d", i).isCloseTo(e.bias, within(1e-9 * Math.max(1, Math.abs(e.bias))));
      assertThat(a.getLoss()).as("loss of snapshot %d", i).isCloseTo(e.loss, within(1e-9 * Math.max(1, e.loss)));
      assertThat(a.getEvaluation()).as("evaluation of snapshot %d", i).isNotNull();
      if (e.evaluated()) {
        Evaluation ev = a.getEvaluation();
        assertThat(ev.getPrequentialRecords()).as("prequential records of snapshot %d", i).isEqualTo(e.prequentialRecords);
        assertThat(ev.getPrequentialLoss()).as("prequential loss of snapshot %d", i)
            .isCloseTo(e.prequentialLoss, within(1e-9 * Math.max(1, e.prequentialLoss)));
        assertThat(ev.getHoldoutRecords()).as("holdout records of snapshot %d", i).isEqualTo(e.holdoutRecords);
        assertThat(ev.getHeldOut()).as("held out by snapshot %d", i).isEqualTo(e.heldOut);
        if (e.holdoutRecords == 0) {
          assertThat(ev.getHoldoutLoss()).as("holdout loss of snapshot %d", i).isNaN();
        } else {
          assertThat(ev.getHoldoutLoss()).as("holdout loss of snapshot %d", i)
              .isCloseTo(e.holdoutLoss, within(1e-9 * Math.max(1, e.holdoutLoss)));
        }
      }
    }
  }

  @Test
  void keepsFilterBiasOptimizerStateAndCountersInKeyedState() throws Exception {
    ParityCase c = cases().stream().filter(p -> p.name.equals("adam-amsgrad-weight-decay")).findFirst().orElseThrow();
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(c.layer, c.train)) {
      TrainerHarness.feed(h, c.records.subList(0, 12));
      TrainerState s = TrainerHarness.state(h, c.name);
      assertThat(s.version).isEqualTo(12);
      assertThat(s.records).isEqualTo(12);
      assertThat(s.recordsAtSnapshot).isEqualTo(9);
      assertThat(s.lossCount).isEqualTo(3);
      assertThat(s.optimizer).containsOnlyKeys("0.step", "0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq",
          "1.step", "1.exp_avg", "1.exp_avg_sq", "1.max_exp_avg_sq");
      assertThat(s.optimizer.get("0.step")).containsExactly(12.0);
      assertThat(s.optimizer.get("0.exp_avg")).hasSize(5);
      assertThat(s.params).containsOnlyKeys("filter", "bias");
      assertThat(s.params.get("filter")).hasSize(5);
      assertThat(s.params.get("bias")).hasSize(1);
      assertThat(s.filter).as("no legacy conv2d fields").isNull();
      assertThat(s.eventTime).isEqualTo(11_000);
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
    }
  }

  @Test
  void pendingMiniBatchWaitsInStateUntilFullOrEndOfInput() throws Exception {
    ParityCase c = cases().stream().filter(p -> p.name.equals("sgd-momentum-minibatch")).findFirst().orElseThrow();
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(c.layer, c.train)) {
      TrainerHarness.feed(h, c.records.subList(0, 6));
      TrainerState s = TrainerHarness.state(h, c.name);
      assertThat(s.version).isEqualTo(1);
      assertThat(s.batchCount).isEqualTo(2);
      assertThat(s.batchGrads.get("filter")).hasSize(9);
      assertThat(s.batchGrads.get("bias")).hasSize(1);
      assertThat(s.records).isEqualTo(6);
      assertThat(s.optimizer).containsOnlyKeys("0.momentum_buffer", "1.momentum_buffer");
    }
  }

  @Test
  void badRecordsBecomeDeadLettersWithTheirReasonKeyAndPayload() throws Exception {
    ParityCase c = cases().get(0);
    Tensor x = Tensor.randn(1L, 12, 10);
    Tensor y = Tensor.randn(2L, 10, 8);
    LabeledTensorRecord shortData = TestRecords.labeled("m", 1, x, y);
    shortData.getInput().setData(ByteBuffer.wrap(new byte[12]));
    LabeledTensorRecord nanInput = TestRecords.labeled("m", 2, x.copy(), y);
    nanInput.setInput(TensorCodec.encode(withValue(x, 5, Double.NaN), DType.FLOAT64));
    LabeledTensorRecord infTarget = TestRecords.labeled("m", 3, x,
        withValue(y, 7, Double.POSITIVE_INFINITY));
    LabeledTensorRecord wrongTarget = TestRecords.labeled("m", 4, x, Tensor.randn(3L, 9, 8));
    LabeledTensorRecord tooSmall = TestRecords.labeled("m", 5, Tensor.randn(4L, 2, 10), Tensor.randn(5L, 1, 8));
    LabeledTensorRecord overflow = TestRecords.labeled("m", 6, x.mul(1e300), y);
    LabeledTensorRecord notMatrix = TestRecords.labeled("m", 7, Tensor.randn(6L, 12), y);
    LabeledTensorRecord noModel = TestRecords.labeled("m", 8, x, y);
    noModel.setModel(null);
    List<LabeledTensorRecord> bad = List.of(shortData, nanInput, infTarget, wrongTarget, tooSmall, overflow,
        notMatrix, noModel);
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(c.layer, c.train)) {
      h.processElement(TestRecords.labeled("m", 0, x, y), 0);
      TrainerState before = TrainerHarness.state(h, "m").copy();
      TrainerHarness.feed(h, bad);
      assertThat(TrainerHarness.state(h, "m")).as("rejected records leave the state as it was")
          .usingRecursiveComparison().withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
          .isEqualTo(before);
      h.processWatermark(Long.MAX_VALUE);
      List<DeadLetter> dead = TrainerHarness.deadLetters(h);
      assertThat(dead).extracting(DeadLetter::getReason).containsExactly(
          "input: tensor data has 12 bytes but shape [12, 10] of FLOAT64 needs 960 (120 x 8)",
          "input: tensor value NaN at flat index 5 (index [0, 5]) is not finite",
          "target: tensor value Infinity at flat index 7 (index [0, 7]) is not finite",
          "target: shape [9, 8] does not match the layer's output shape [10, 8] for input [12, 10]",
          "input: conv2d input of shape [2, 10] is smaller than the filter of shape [3, 3]",
          "loss is Infinity; update skipped, state unchanged",
          "input: conv2d input: expected a 2-D tensor but got shape [12]",
          "model is missing (null)");
      assertThat(dead).extracting(DeadLetter::getStage).containsOnly(Uids.TRAINER);
      assertThat(dead).extracting(DeadLetter::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
      assertThat(dead.get(0).getKey()).isEqualTo("m");
      assertThat(AvroPayloads.decode(dead.get(3).getPayload().array(), LabeledTensorRecord.class))
          .isEqualTo(wrongTarget);
      assertThat(dead.get(7).getPayload()).as("a record with a null required field cannot be encoded").isNull();
      assertThat(h.extractOutputValues()).singleElement()
          .satisfies(s -> assertThat(s.getVersion()).isEqualTo(1));
    }
  }

  private static Tensor withValue(Tensor t, int flat, double v) {
    Tensor c = t.copy();
    c.buffer()[flat] = v;
    return c;
  }
}
