package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.drift.DetectorSpec;
import dev.streamgrad.drift.DriftDetector;
import dev.streamgrad.drift.PageHinkley;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.RecordValidator;
import dev.streamgrad.records.TensorCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The trainer's evaluation in an operator test harness: drift events where a detector fed the
 * trainer's own prequential losses fires, the optimizer reset, event-time windows, holdout, and
 * the per-model metrics.
 */
@SuppressWarnings("try")
class EvaluationTest {
  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 3, 5);
  private static final int SHIFT = 150;
  private static final DetectorSpec PAGE_HINKLEY =
      new DetectorSpec.PageHinkleySpec(30, 0.005, 5.0, 1 - 0.0001, PageHinkley.Mode.UP);

  /** 300 records of model m: the target's filter and bias change at record {@link #SHIFT}. */
  static List<LabeledTensorRecord> shiftingStream() {
    Random rng = new Random(7);
    Module before = Conv2dSpec.explicit(new double[][] {{1, 0, -1}, {0.5, 0, 0}, {0, 0.2, 0}}, 0.1).create();
    Module after = Conv2dSpec.explicit(new double[][] {{-1, 0.3, 1}, {0, 1, 0}, {0.4, 0, -0.6}}, 2).create();
    List<LabeledTensorRecord> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Tensor x = Tensor.randn(rng, 8, 8);
      out.add(TestRecords.labeled("m", i, x, (i < SHIFT ? before : after).forward(x).detach()));
    }
    return out;
  }

  /** The prequential loss of each record, from a {@link ModelTrainer} with a one-record window. */
  static double[] prequentialLosses(TrainConfig train, List<LabeledTensorRecord> records) throws Exception {
    ModelTrainer t = new ModelTrainer(LAYER, train.withEvaluation(new EvaluationConfig(1, 60_000, 0)));
    TrainerState s = t.initialState();
    double[] losses = new double[records.size()];
    for (int i = 0; i < losses.length; i++) {
      RecordValidator.LabeledExample ex = RecordValidator.exampleOf(records.get(i));
      t.offer(s, ex.input(), ex.target(), i);
      losses[i] = Evaluator.prequentialLoss(s);
    }
    return losses;
  }

  @Test
  void driftEventsAreWhereRiversDetectorFiresOnTheTrainersLosses() throws Exception {
    TrainConfig plain = new TrainConfig(OptimizerSpec.sgd(0.01, 0, 0, 0, false), 1, 50);
    List<LabeledTensorRecord> records = shiftingStream();
    double[] losses = prequentialLosses(plain, records);
    DriftDetector reference = PAGE_HINKLEY.create();
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < losses.length; i++) {
      if (reference.update(losses[i])) {
        expected.add((long) i);
      }
    }
    assertThat(expected).as("the shift is detected, nothing before it").isNotEmpty().allMatch(i -> i >= SHIFT);

    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(LAYER, plain.withDrift(new DriftConfig(PAGE_HINKLEY, false)))) {
      TrainerHarness.feed(h, records);
      h.processWatermark(Long.MAX_VALUE);
      List<DriftEvent> events = driftEvents(h);
      assertThat(events).extracting(DriftEvent::getSeq).containsExactlyElementsOf(expected);
      DriftEvent first = events.get(0);
      assertThat(first.getModel()).isEqualTo("m");
      assertThat(first.getDetector()).isEqualTo("page-hinkley");
      assertThat(first.getReaction()).isEqualTo("none");
      assertThat(first.getRecords()).isEqualTo(first.getSeq() + 1);
      assertThat(first.getVersion()).isEqualTo(first.getSeq());
      assertThat(first.getLoss()).isEqualTo(losses[(int) first.getSeq()]);
      assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(1000 * first.getSeq()));
      // the snapshots carry the same events, each once, and the running count
      List<DriftEvent> inSnapshots = new ArrayList<>();
      List<FilterSnapshot> snaps = h.extractOutputValues();
      snaps.forEach(s -> inSnapshots.addAll(s.getEvaluation().getDriftEvents()));
      assertThat(inSnapshots).isEqualTo(events);
      assertThat(snaps.get(snaps.size() - 1).getEvaluation().getDrifts()).isEqualTo(events.size());
      assertThat(snaps.get(0).getEvaluation().getDrifts()).isZero();
    }
  }

  @Test
  void resetOptimizerClearsAdamsStateBeforeTheUpdateOfTheRecordThatFired() throws Exception {
    TrainConfig adam = new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, false), 1, 50);
    List<LabeledTensorRecord> records = shiftingStream();
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> keep =
            TrainerHarness.open(LAYER, adam.withDrift(new DriftConfig(PAGE_HINKLEY, false)));
        KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> reset =
            TrainerHarness.open(LAYER, adam.withDrift(new DriftConfig(PAGE_HINKLEY, true)))) {
      TrainerHarness.feed(keep, records);
      TrainerHarness.feed(reset, records);
      List<DriftEvent> events = driftEvents(reset);
      assertThat(events).isNotEmpty().allMatch(e -> e.getReaction().equals("reset-optimizer"));
      long lastReset = events.get(events.size() - 1).getSeq();
      TrainerState kept = TrainerHarness.state(keep, "m");
      TrainerState wasReset = TrainerHarness.state(reset, "m");
      assertThat(kept.optimizer.get("0.step")).containsExactly(300.0);
      // Adam's step counts again from the record that fired: its own update is step 1
      assertThat(wasReset.optimizer.get("0.step")).containsExactly(300.0 - lastReset);
      assertThat(wasReset.params.get("filter")).isNotEqualTo(kept.params.get("filter"));
      assertThat(wasReset.evaluation.drifts).isEqualTo(events.size());
    }
  }

  @Test
  void eventTimeWindowsCloseOnTheFirstRecordOfALaterWindowAndTakeLateRecordsIntoTheOpenOne() throws Exception {
    TrainConfig train = new TrainConfig(OptimizerSpec.sgd(0.01, 0, 0, 0, false), 1, 1000)
        .withEvaluation(new EvaluationConfig(1000, 5_000, 0));
    List<LabeledTensorRecord> records = new ArrayList<>(shiftingStream().subList(0, 8));
    // late: event time 2 s, after the window [5 s, 10 s) opened
    LabeledTensorRecord late = LabeledTensorRecord.newBuilder(records.get(7)).setSeq(100)
        .setEventTime(Instant.ofEpochMilli(2_000)).build();
    records.add(late);
    double[] losses = prequentialLosses(train, records);
    ModelTrainer t = new ModelTrainer(LAYER, train);
    TrainerState s = t.initialState();
    for (int i = 0; i < records.size(); i++) {
      RecordValidator.LabeledExample ex = RecordValidator.exampleOf(records.get(i));
      t.offer(s, ex.input(), ex.target(), records.get(i).getEventTime().toEpochMilli(), "m", records.get(i).getSeq());
      if (i == 4) {
        assertThat(s.evaluation.closedCount).as("no window closed yet").isZero();
        assertThat(Evaluator.windowLoss(s)).isNaN();
      }
    }
    EvaluationState e = s.evaluation;
    assertThat(e.closedStart).isZero();
    assertThat(e.closedCount).isEqualTo(5);
    assertThat(e.closedLoss).isEqualTo((losses[0] + losses[1] + losses[2] + losses[3] + losses[4]) / 5);
    assertThat(e.windowStart).isEqualTo(5_000);
    assertThat(e.windowCount).as("records 5, 6, 7 and the late one").isEqualTo(4);
    t.endOfInput(s);
    assertThat(e.closedStart).isEqualTo(5_000);
    assertThat(e.closedLoss).isEqualTo((losses[5] + losses[6] + losses[7] + losses[8]) / 4);
    Evaluation ev = t.evaluation(s, "m");
    assertThat(ev.getWindowStart()).isEqualTo(Instant.ofEpochMilli(5_000));
    assertThat(ev.getWindowRecords()).isEqualTo(4);
    assertThat(ev.getEventTimeWindow()).isEqualTo(5_000);
    assertThat(ev.getPrequentialRecords()).isEqualTo(9);
  }

  @Test
  void heldOutRecordsAreScoredNotTrainedOnAndCountedApart() throws Exception {
    TrainConfig train = new TrainConfig(OptimizerSpec.sgd(0.01, 0, 0, 0, false), 1, 1000)
        .withEvaluation(new EvaluationConfig(8, 60_000, 4));
    List<LabeledTensorRecord> records = shiftingStream().subList(0, 12);
    ModelTrainer t = new ModelTrainer(LAYER, train);
    TrainerState s = t.initialState();
    List<Double> holdout = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      RecordValidator.LabeledExample ex = RecordValidator.exampleOf(records.get(i));
      Map<String, double[]> before = new HashMap<>(s.params);
      boolean updated = t.offer(s, ex.input(), ex.target(), i);
      if ((i + 1) % 4 == 0) {
        assertThat(updated).isFalse();
        assertThat(s.params).as("record %d is held out", i).isEqualTo(before);
        EvaluationState.Ring ring = s.evaluation.holdout;
        holdout.add(ring.values[(ring.next + ring.values.length - 1) % ring.values.length]);
      }
    }
    assertThat(s.records).isEqualTo(9);
    assertThat(s.version).isEqualTo(9);
    assertThat(s.evaluation.heldOut).isEqualTo(3);
    assertThat(s.evaluation.prequential.count).as("the last 8 trained records").isEqualTo(8);
    // the holdout mean is over the last 8 / 4 = 2 held-out records: about the same last 8 records
    assertThat(s.evaluation.holdout.count).isEqualTo(2);
    assertThat(Evaluator.holdoutLoss(s)).isEqualTo((holdout.get(1) + holdout.get(2)) / 2);
  }

  @Test
  void perModelGaugesAndDriftCounterLiveInTheModelGroup() {
    Map<String, Metric> metrics = new HashMap<>();
    ModelMetrics m = new ModelMetrics(new Capturing("", metrics));
    TrainerState s = new TrainerState();
    s.version = 7;
    s.evaluation = new EvaluationState();
    s.evaluation.prequential.add(2.0, 10);
    s.evaluation.prequential.add(4.0, 10);
    s.lossSum = 3;
    s.lossCount = 2;
    m.of("a").in();
    m.of("a").out();
    m.of("a").update(s);
    m.of("a").drift();
    m.of("b").in();
    m.of("b").dead();
    m.of("b").update(new TrainerState());
    m.of("a").in();
    m.of("a").out();
    m.of("a").update(s);
    assertThat(metrics).containsOnlyKeys(
        "model.a.prequentialLoss", "model.a.holdoutLoss", "model.a.windowLoss", "model.a.modelVersion",
        "model.a.loss", "model.a.recordsIn", "model.a.recordsOut", "model.a.drifts",
        "model.b.prequentialLoss", "model.b.holdoutLoss", "model.b.windowLoss", "model.b.modelVersion",
        "model.b.loss", "model.b.recordsIn", "model.b.recordsDead");
    assertThat(((Counter) metrics.get("model.a.recordsIn")).getCount()).isEqualTo(2);
    assertThat(((Counter) metrics.get("model.a.recordsOut")).getCount()).isEqualTo(2);
    assertThat(((Counter) metrics.get("model.b.recordsDead")).getCount()).isEqualTo(1);
    assertThat(((Gauge<?>) metrics.get("model.a.loss")).getValue()).isEqualTo(1.5);
    assertThat(((Gauge<?>) metrics.get("model.b.loss")).getValue()).isEqualTo(Double.NaN);
    assertThat(((Gauge<?>) metrics.get("model.a.prequentialLoss")).getValue()).isEqualTo(3.0);
    assertThat(((Gauge<?>) metrics.get("model.a.holdoutLoss")).getValue()).isEqualTo(Double.NaN);
    assertThat(((Gauge<?>) metrics.get("model.a.modelVersion")).getValue()).isEqualTo(7.0);
    assertThat(((Gauge<?>) metrics.get("model.b.prequentialLoss")).getValue()).isEqualTo(Double.NaN);
    m.of("a").drift();
    assertThat(((Counter) metrics.get("model.a.drifts")).getCount()).isEqualTo(2);
  }

  @Test
  void ringKeepsItsMeanExactAfterASpikeLeaves() {
    EvaluationState.Ring r = new EvaluationState.Ring();
    r.add(1e12, 3);
    for (int i = 0; i < 4; i++) {
      r.add(0.1, 3);
    }
    assertThat(r.count).isEqualTo(3);
    assertThat(r.mean()).isEqualTo((0.1 + 0.1 + 0.1) / 3);
  }

  static List<DriftEvent> driftEvents(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) {
    List<DriftEvent> out = new ArrayList<>();
    if (h.getSideOutput(DriftEvents.TAG) != null) {
      for (StreamRecord<DriftEvent> r : h.getSideOutput(DriftEvents.TAG)) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  /** Collects metrics by their dotted path below the group it starts from. */
  private static final class Capturing extends UnregisteredMetricsGroup {
    private final String prefix;
    private final Map<String, Metric> metrics;

    Capturing(String prefix, Map<String, Metric> metrics) {
      this.prefix = prefix;
      this.metrics = metrics;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      return new Capturing(prefix + key + "." + value + ".", metrics);
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      metrics.put(prefix + name, gauge);
      return gauge;
    }

    @Override
    public Counter counter(String name) {
      Counter c = new org.apache.flink.metrics.SimpleCounter();
      metrics.put(prefix + name, c);
      return c;
    }
  }
}
