package dev.streamgrad.flink;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import dev.streamgrad.records.TensorCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The scorer: joins each served {@link Prediction} with its label, which arrives later on its own
 * stream as a {@link LabeledTensorRecord} whose {@code model} is the prediction's key and whose
 * {@code seq} is the same (its {@code input} is not read), and emits a {@link PredictionScore}: the
 * {@code mse_loss} of the output the model actually served against the label's target, with the
 * model, its version and the label delay (label event time minus the record's).
 *
 * <p>Keyed by record key; whichever of the two comes first waits in keyed map state by seq. The
 * join is bounded in event time ({@link LabelJoin}): a label delayed more than the timeout is late
 * (the prediction is unlabelled), and event-time timers at each waiting element's deadline (its
 * event time plus the timeout, rounded up by {@link LabelJoin#timerFor}) remove what the watermark
 * has passed: the final watermark removes everything. At most {@code maxWaiting} predictions and
 * labels wait per key. Every input ends in a score or in one dead letter with its reason:
 * predictions in + labels in = 2 x scores + dead letters.
 *
 * <p>Metrics: counters {@code predictionsIn}, {@code labelsIn}, {@code predictionsScored},
 * {@code predictionsUnlabelled} (label later than the timeout, never, or unusable), {@code
 * labelsLate} (no prediction waited for it within the timeout), {@code recordsDead}; per model
 * ({@link ModelGauges}) {@code servedLoss} (mean over the model's last 100 scores on this subtask)
 * and {@code labelDelayMs} (the last).
 */
final class ScoreFunction extends KeyedCoProcessFunction<String, Prediction, LabeledTensorRecord, PredictionScore> {
  private static final long serialVersionUID = 1L;

  static final MapStateDescriptor<Long, Prediction> PREDICTIONS =
      new MapStateDescriptor<>("scorer-predictions", Types.LONG, new AvroTypeInfo<>(Prediction.class));
  static final MapStateDescriptor<Long, LabeledTensorRecord> LABELS =
      new MapStateDescriptor<>("scorer-labels", Types.LONG, new AvroTypeInfo<>(LabeledTensorRecord.class));
  static final ValueStateDescriptor<Integer> WAITING = new ValueStateDescriptor<>("scorer-waiting", Types.INT);

  private final LabelJoin join;
  private transient MapState<Long, Prediction> predictions;
  private transient MapState<Long, LabeledTensorRecord> labels;
  private transient ValueState<Integer> waiting;
  private transient RecordLimits limits;
  private transient Counter predictionsIn;
  private transient Counter labelsIn;
  private transient Counter scored;
  private transient Counter unlabelled;
  private transient Counter late;
  private transient Counter dead;
  private transient ModelGauges gauges;
  private transient RecentMeans servedLoss;

  ScoreFunction(LabelJoin join) {
    this.join = join;
  }

  @Override
  public void open(OpenContext openContext) {
    predictions = getRuntimeContext().getMapState(PREDICTIONS);
    labels = getRuntimeContext().getMapState(LABELS);
    waiting = getRuntimeContext().getState(WAITING);
    limits = RecordLimits.forThisJvm(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    MetricGroup group = getRuntimeContext().getMetricGroup();
    predictionsIn = group.counter("predictionsIn");
    labelsIn = group.counter("labelsIn");
    scored = group.counter("predictionsScored");
    unlabelled = group.counter("predictionsUnlabelled");
    late = group.counter("labelsLate");
    dead = group.counter("recordsDead");
    gauges = new ModelGauges(group);
    servedLoss = new RecentMeans(100);
  }

  @Override
  public void processElement1(Prediction p, Context ctx, Collector<PredictionScore> out) throws Exception {
    predictionsIn.inc();
    if (p == null || p.getEventTime() == null || p.getKey() == null) {
      dead(ctx, p, p == null ? null : p.getKey(), p == null ? null : p.getSeq(), "prediction is missing "
          + (p == null ? "(null)" : p.getKey() == null ? "its key" : "its eventTime"));
      return;
    }
    LabeledTensorRecord label = labels.get(p.getSeq());
    if (label != null) {
      labels.remove(p.getSeq());
      count(-1);
      score(p, label, ctx, out);
      return;
    }
    long deadline = join.deadline(p.getEventTime().toEpochMilli());
    String problem = null;
    if (predictions.contains(p.getSeq())) {
      problem = "a prediction of key '" + p.getKey() + "' seq " + p.getSeq() + " already waits for its label";
    } else if (deadline <= ctx.timerService().currentWatermark()) {
      problem = "its label timeout (predict.labelTimeout " + join.timeoutMs() + " ms) had passed when it reached"
          + " the scorer (watermark " + ctx.timerService().currentWatermark() + ")";
    } else if (count(0) >= join.maxWaiting()) {
      problem = count(0) + " predictions and labels of key '" + p.getKey() + "' already wait (predict.maxUnlabelled "
          + join.maxWaiting() + ")";
    }
    if (problem != null) {
      unlabelled.inc();
      dead(ctx, p, p.getKey(), p.getSeq(), "prediction not scored: " + problem);
      return;
    }
    predictions.put(p.getSeq(), p);
    count(1);
    ctx.timerService().registerEventTimeTimer(join.timerFor(deadline));
  }

  @Override
  public void processElement2(LabeledTensorRecord l, Context ctx, Collector<PredictionScore> out) throws Exception {
    labelsIn.inc();
    if (l == null || l.getEventTime() == null || l.getModel() == null) {
      dead(ctx, l, l == null ? null : l.getModel(), l == null ? null : l.getSeq(), "label is missing "
          + (l == null ? "(null)" : l.getModel() == null ? "its model (the predicted key)" : "its eventTime"));
      return;
    }
    Prediction p = predictions.get(l.getSeq());
    if (p != null) {
      predictions.remove(l.getSeq());
      count(-1);
      score(p, l, ctx, out);
      return;
    }
    long deadline = join.deadline(l.getEventTime().toEpochMilli());
    String problem = null;
    if (labels.contains(l.getSeq())) {
      problem = "a label of key '" + l.getModel() + "' seq " + l.getSeq() + " already waits for its prediction";
    } else if (deadline <= ctx.timerService().currentWatermark()) {
      problem = "no prediction waits for it (scored already, timed out, or never made) and predict.labelTimeout ("
          + join.timeoutMs() + " ms) has passed";
    } else if (count(0) >= join.maxWaiting()) {
      problem = count(0) + " predictions and labels of key '" + l.getModel() + "' already wait (predict.maxUnlabelled "
          + join.maxWaiting() + ")";
    }
    if (problem != null) {
      late.inc();
      dead(ctx, l, l.getModel(), l.getSeq(), "label not used: " + problem);
      return;
    }
    labels.put(l.getSeq(), l);
    count(1);
    ctx.timerService().registerEventTimeTimer(join.timerFor(deadline));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PredictionScore> out) throws Exception {
    List<Long> expired = new ArrayList<>();
    for (Map.Entry<Long, Prediction> e : predictions.entries()) {
      if (join.deadline(e.getValue().getEventTime().toEpochMilli()) <= timestamp) {
        expired.add(e.getKey());
      }
    }
    for (Long seq : expired) {
      Prediction p = predictions.get(seq);
      predictions.remove(seq);
      count(-1);
      unlabelled.inc();
      dead(ctx, p, p.getKey(), seq, "prediction not scored: no label arrived within predict.labelTimeout ("
          + join.timeoutMs() + " ms)");
    }
    expired.clear();
    for (Map.Entry<Long, LabeledTensorRecord> e : labels.entries()) {
      if (join.deadline(e.getValue().getEventTime().toEpochMilli()) <= timestamp) {
        expired.add(e.getKey());
      }
    }
    for (Long seq : expired) {
      LabeledTensorRecord l = labels.get(seq);
      labels.remove(seq);
      count(-1);
      late.inc();
      dead(ctx, l, l.getModel(), seq, "label not used: no prediction of key '" + l.getModel() + "' seq " + seq
          + " arrived within predict.labelTimeout (" + join.timeoutMs() + " ms)");
    }
  }

  /** Scores prediction {@code p} with label {@code l} (same key and seq), or dead-letters both with the reason. */
  private void score(Prediction p, LabeledTensorRecord l, Context ctx, Collector<PredictionScore> out) {
    long delay = l.getEventTime().toEpochMilli() - p.getEventTime().toEpochMilli();
    String problem = null;
    double loss = Double.NaN;
    if (delay > join.timeoutMs()) {
      problem = "its label arrived " + delay + " ms after the record, later than predict.labelTimeout ("
          + join.timeoutMs() + " ms)";
    } else {
      try {
        loss = loss(p, l);
      } catch (InvalidRecordException e) {
        problem = e.reason();
      }
    }
    if (problem != null) {
      unlabelled.inc();
      late.inc();
      dead(ctx, p, p.getKey(), p.getSeq(), "prediction not scored: " + problem);
      dead(ctx, l, l.getModel(), l.getSeq(), "label not used: " + problem);
      return;
    }
    scored.inc();
    gauges.set(p.getModel(), "servedLoss", servedLoss.add(p.getModel(), loss));
    gauges.set(p.getModel(), "labelDelayMs", delay);
    out.collect(PredictionScore.newBuilder()
        .setKey(p.getKey())
        .setSeq(p.getSeq())
        .setModel(p.getModel())
        .setModelVersion(p.getModelVersion())
        .setLoss(loss)
        .setLabelDelayMs(delay)
        .setEventTime(p.getEventTime())
        .setLabelEventTime(l.getEventTime())
        .build());
  }

  /** {@code mse_loss(output, target)}: the trainer's loss of the served output. */
  private double loss(Prediction p, LabeledTensorRecord l) throws InvalidRecordException {
    Tensor output;
    Tensor target;
    try {
      output = TensorCodec.decode(p.getOutput(), limits);
    } catch (InvalidRecordException e) {
      throw e.in("prediction output");
    }
    try {
      target = TensorCodec.decode(l.getTarget(), limits);
    } catch (InvalidRecordException e) {
      throw e.in("label target");
    }
    double loss;
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      loss = MseLoss.mseLoss(output, target).item();
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("label target: " + e.getMessage(), e);
    }
    if (!Double.isFinite(loss)) {
      throw new InvalidRecordException("loss is " + loss + " (label target or prediction output not finite)");
    }
    return loss;
  }

  /** Adds {@code delta} to the key's count of waiting predictions and labels; returns the new count. */
  private int count(int delta) throws Exception {
    int n = (waiting.value() == null ? 0 : waiting.value()) + delta;
    if (delta != 0) {
      if (n <= 0) {
        waiting.clear();
      } else {
        waiting.update(n);
      }
    }
    return Math.max(n, 0);
  }

  private void dead(Context ctx, SpecificRecord payload, String key, Long seq, String reason) {
    dead.inc();
    ctx.output(DeadLetters.TAG, DeadLetters.of(Uids.SCORER, reason, key, seq, payload));
  }
}
