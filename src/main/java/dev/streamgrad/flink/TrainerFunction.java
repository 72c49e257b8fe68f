package dev.streamgrad.flink;

import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import dev.streamgrad.records.RecordValidator;
import dev.streamgrad.records.SnapshotParameters;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The online trainer, keyed by model: one {@link TrainerState} per model in keyed state, one
 * {@link ModelTrainer} step per labeled record, a {@link FilterSnapshot} every
 * {@code snapshotEvery} updates and one more at end of input.
 *
 * <p>End of input: every model registers an event-time timer at {@code Long.MAX_VALUE}, which
 * fires only when the final watermark arrives, i.e. when a bounded input has ended (not on
 * stop-with-savepoint without drain). It applies a pending partial mini-batch and emits the final
 * snapshot when records were trained on since the last one.
 *
 * <p>Evaluation ({@link Evaluator}): every snapshot carries the model's prequential and holdout
 * losses, its last closed event-time window and its drifts; {@link ModelMetrics} shows them per
 * model; a drift also goes to the side output {@link DriftEvents#TAG}.
 */
final class TrainerFunction extends KeyedProcessFunction<String, LabeledTensorRecord, FilterSnapshot> {
  private static final long serialVersionUID = 1L;
  static final String STATE_NAME = "trainer-state";

  private final LayerSpec layer;
  private final TrainConfig train;
  private transient ModelTrainer trainer;
  private transient ValueState<TrainerState> state;
  private transient OperatorMetrics metrics;
  private transient ModelMetrics modelMetrics;
  /** The largest record this subtask takes: from the heap and how many subtasks share it. */
  private transient RecordLimits limits;
  /** Input and target arrays reused record after record: the trainer drops each example before the next. */
  private transient RecordValidator.Buffers buffers;

  TrainerFunction(LayerSpec layer, TrainConfig train) {
    this.layer = layer;
    this.train = train;
    new ModelTrainer(layer, train); // fail at graph construction, not at run time, on a layer without parameters
  }

  /** The descriptor of the per-model state, for tests and the state processor API. */
  static ValueStateDescriptor<TrainerState> stateDescriptor() {
    return new ValueStateDescriptor<>(STATE_NAME, TrainerState.TYPE_INFO);
  }

  @Override
  public void open(OpenContext openContext) {
    buffers = new RecordValidator.Buffers();
    limits = RecordLimits.forThisJvm(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    trainer = new ModelTrainer(layer, train);
    state = getRuntimeContext().getState(stateDescriptor());
    metrics = new OperatorMetrics(getRuntimeContext().getMetricGroup(), true);
    modelMetrics = new ModelMetrics(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(LabeledTensorRecord r, Context ctx, Collector<FilterSnapshot> out) throws Exception {
    metrics.in();
    ModelMetrics.Model modelMetric = modelMetrics.of(ctx.getCurrentKey());
    modelMetric.in();
    TrainerState s = restored();
    if (s == null) {
      s = trainer.initialState();
      // once per model: timers are keyed state, so it survives checkpoints and rescaling
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }
    boolean updated;
    try {
      RecordValidator.LabeledExample ex = RecordValidator.exampleOf(r, limits, buffers);
      updated = trainer.offer(s, ex.input(), ex.target(), r.getEventTime().toEpochMilli(), r.getModel(),
          r.getSeq());
    } catch (InvalidRecordException e) {
      metrics.dead();
      modelMetric.dead();
      ctx.output(DeadLetters.TAG, DeadLetters.of(Uids.TRAINER, e.reason(), r == null ? ctx.getCurrentKey()
          : r.getModel(), r == null ? null : r.getSeq(), r));
      if (train.lossGuard() != null) {
        state.update(s); // the model is unchanged, but the guard counted a refusal
      }
      return;
    }
    metrics.out();
    modelMetric.out();
    modelMetric.update(s);
    DriftEvent drift = trainer.lastDrift();
    if (drift != null) {
      modelMetric.drift();
      ctx.output(DriftEvents.TAG, drift);
    }
    if (updated) {
      metrics.loss(s.lossCount == 0 ? Double.NaN : s.lossSum / s.lossCount);
      metrics.modelVersion(s.version);
      if (trainer.snapshotDue(s)) {
        out.collect(snapshot(ctx.getCurrentKey(), s));
      }
    }
    state.update(s);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<FilterSnapshot> out) throws Exception {
    TrainerState s = restored();
    if (timestamp != Long.MAX_VALUE || s == null) {
      return;
    }
    try {
      trainer.flush(s);
    } catch (InvalidRecordException e) {
      ctx.output(DeadLetters.TAG, DeadLetters.of(Uids.TRAINER, e.reason(), ctx.getCurrentKey(), null, null));
    }
    trainer.endOfInput(s);
    modelMetrics.of(ctx.getCurrentKey()).update(s);
    if (s.records > s.recordsAtSnapshot) {
      out.collect(snapshot(ctx.getCurrentKey(), s));
    }
    state.update(s);
  }

  /**
   * The model's state, with a state of the conv2d-only layout of older savepoints moved into the
   * state dict: the one place where a restored state enters the trainer. Null before its first record.
   */
  private TrainerState restored() throws IOException {
    TrainerState s = state.value();
    if (s != null) {
      s.migrateLegacyConv2d();
    }
    return s;
  }

  /** The snapshot of {@code s}; resets the loss accumulator (the snapshot's loss is since the previous one). */
  private FilterSnapshot snapshot(String model, TrainerState s) {
    FilterSnapshot snap = SnapshotParameters.fill(FilterSnapshot.newBuilder(), layer.type(), trainer.stateDict(s))
        .setModel(model)
        .setVersion(s.version)
        .setLoss(s.lossCount == 0 ? Double.NaN : s.lossSum / s.lossCount)
        .setRecords(s.records)
        .setEventTime(Instant.ofEpochMilli(s.eventTime))
        .setEvaluation(trainer.evaluation(s, model))
        .build();
    s.lossSum = 0;
    s.lossCount = 0;
    s.recordsAtSnapshot = s.records;
    return snap;
  }
}
