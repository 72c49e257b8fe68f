package dev.streamgrad.flink;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import dev.streamgrad.records.RecordValidator;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The predictor: records keyed by their key, filter snapshots broadcast to every subtask. Keeps the
 * newest snapshot version per model in broadcast state, predicts each record with its model's
 * newest parameters (the layer's forward, the snapshot's state dict loaded as PyTorch's
 * {@code load_state_dict(strict=True)}) and stamps that version. A snapshot that does not fit the
 * layer (names or shapes) is a dead letter. A record whose model has not sent
 * a snapshot yet waits in keyed list state and is predicted, in arrival order, when the model's
 * first snapshot arrives. When the input ends (final watermark) with records still waiting, each
 * becomes a dead letter {@code no model '<m>' arrived before end of input}.
 *
 * <p>Staleness ({@link Staleness}, {@code predict.maxModelAge}): a record whose model's newest
 * snapshot is older than the bound waits for a fresher one ({@link StaleRecords}) or is a dead
 * letter. Each prediction sets its model's {@code modelAgeMs} gauge (record event time minus the
 * serving snapshot's event time). Without a bound nothing waits for freshness.
 */
final class PredictorFunction extends KeyedBroadcastProcessFunction<String, TensorRecord, FilterSnapshot, Prediction> {
  private static final long serialVersionUID = 1L;

  static final MapStateDescriptor<String, FilterSnapshot> MODELS =
      new MapStateDescriptor<>("predictor-models", Types.STRING, new AvroTypeInfo<>(FilterSnapshot.class));
  static final ListStateDescriptor<TensorRecord> BUFFER =
      new ListStateDescriptor<>("predictor-buffer", new AvroTypeInfo<>(TensorRecord.class));

  private final LayerSpec layer;
  /** The one model every record uses, or null when each record's key names its model. */
  private final String model;
  private final Staleness staleness;
  private transient ListState<TensorRecord> buffer;
  private transient StaleRecords stale;
  private transient ModelGauges gauges;
  private transient OperatorMetrics metrics;
  /** The largest record this subtask takes: from the heap and how many subtasks share it. */
  private transient RecordLimits limits;
  /** A module with the layer's initial parameters: checks the inputs of records that wait for their model. */
  private transient Module template;
  /** Each model's module with its newest snapshot's parameters, valid for the version it was built from. */
  private transient Map<String, Module> modules;
  private transient Map<String, Long> moduleVersions;

  PredictorFunction(LayerSpec layer, String model) {
    this(layer, model, Staleness.UNBOUNDED);
  }

  PredictorFunction(LayerSpec layer, String model, Staleness staleness) {
    if (layer.create().parameters().isEmpty()) {
      throw new IllegalArgumentException("the predictor applies learned parameters; layer " + layer
          + " has none");
    }
    this.layer = layer;
    this.model = model;
    this.staleness = staleness;
  }

  @Override
  public void open(OpenContext openContext) {
    limits = RecordLimits.forThisJvm(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    buffer = getRuntimeContext().getListState(BUFFER);
    metrics = new OperatorMetrics(getRuntimeContext().getMetricGroup(), true);
    gauges = new ModelGauges(getRuntimeContext().getMetricGroup());
    // without a bound nothing waits for freshness: no state for it, as before
    stale = staleness.bounded() ? new StaleRecords(staleness, getRuntimeContext()) : null;
    template = layer.create();
    modules = new HashMap<>();
    moduleVersions = new HashMap<>();
  }

  @Override
  public void processElement(TensorRecord r, ReadOnlyContext ctx, Collector<Prediction> out) throws Exception {
    metrics.in();
    String m = model != null ? model : (r == null ? null : r.getKey());
    FilterSnapshot snap = ctx.getBroadcastState(MODELS).get(m);
    if (snap == null || isStale(r, snap)) {
      // it waits: for its model's first snapshot, or for a fresher one; checked now, not when it is due
      Consumer<DeadLetter> deadOut = d -> ctx.output(DeadLetters.TAG, d);
      try {
        checkInput(RecordValidator.tensorOf(r, limits));
      } catch (InvalidRecordException e) {
        dead(deadOut, r, e.reason());
        return;
      }
      String refused = null;
      if (snap == null) {
        buffer.add(r);
      } else {
        refused = stale.hold(r, m, snap);
      }
      if (refused != null) {
        dead(deadOut, r, refused);
      } else {
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
      }
      return;
    }
    predict(r, m, snap, out, d -> ctx.output(DeadLetters.TAG, d));
  }

  /** Whether {@code snap} is too old for {@code r} (a record without event time goes on, to be dead-lettered). */
  private boolean isStale(TensorRecord r, FilterSnapshot snap) {
    return staleness.bounded() && r != null && r.getEventTime() != null
        && !staleness.fresh(snap, r.getEventTime().toEpochMilli());
  }

  private String modelOf(TensorRecord r) {
    return model != null ? model : r.getKey();
  }

  @Override
  public void processBroadcastElement(FilterSnapshot snap, Context ctx, Collector<Prediction> out) throws Exception {
    Module built;
    try {
      built = build(snap);
    } catch (InvalidRecordException e) {
      ctx.output(DeadLetters.TAG, DeadLetters.of(Uids.PREDICTOR, "snapshot: " + e.reason(),
          snap == null ? null : snap.getModel(), snap == null ? null : snap.getVersion(), snap));
      return;
    }
    BroadcastState<String, FilterSnapshot> models = ctx.getBroadcastState(MODELS);
    FilterSnapshot previous = models.get(snap.getModel());
    if (previous != null && previous.getVersion() >= snap.getVersion()) {
      return; // an older or repeated version: the newest one stays
    }
    models.put(snap.getModel(), snap);
    modules.put(snap.getModel(), built);
    moduleVersions.put(snap.getModel(), snap.getVersion());
    metrics.modelVersion(snap.getVersion());
    metrics.loss(snap.getLoss());
    Consumer<DeadLetter> deadOut = d -> ctx.output(DeadLetters.TAG, d);
    if (staleness.bounded()) {
      for (StaleRecords.Released r : stale.release(ctx, snap.getModel(), snap, this::modelOf)) {
        predict(r.record(), r.model(), snap, out, deadOut);
      }
    }
    if (previous == null) {
      ctx.applyToKeyedState(BUFFER, (key, waiting) -> {
        List<TensorRecord> keep = new ArrayList<>();
        for (TensorRecord r : waiting.get()) {
          String m = modelOf(r);
          if (m.equals(snap.getModel()) && isStale(r, snap)) {
            // applyToKeyedState sets the current key: the record moves to this key's stale wait
            String reason = stale.hold(r, m, snap);
            if (reason != null) {
              dead(deadOut, r, reason);
            }
          } else if (m.equals(snap.getModel())) {
            predict(r, m, snap, out, deadOut);
          } else {
            keep.add(r);
          }
        }
        waiting.update(keep);
      });
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Prediction> out) throws Exception {
    if (timestamp != Long.MAX_VALUE) {
      return;
    }
    Consumer<DeadLetter> deadOut = d -> ctx.output(DeadLetters.TAG, d);
    for (TensorRecord r : buffer.get()) {
      String m = modelOf(r);
      FilterSnapshot snap = ctx.getBroadcastState(MODELS).get(m);
      if (snap == null) {
        dead(deadOut, r, "no model '" + m + "' arrived before end of input");
      } else if (isStale(r, snap)) {
        dead(deadOut, r, staleness.reason(m, snap, r.getEventTime().toEpochMilli())
            + "; no fresher snapshot arrived before end of input");
      } else {
        predict(r, m, snap, out, deadOut);
      }
    }
    buffer.clear();
    if (staleness.bounded()) {
      for (StaleRecords.Released r : stale.drain(this::modelOf, m -> getModel(ctx, m))) {
        if (r.reason() == null) {
          predict(r.record(), r.model(), r.snapshot(), out, deadOut);
        } else {
          dead(deadOut, r.record(), r.reason());
        }
      }
    }
  }

  private static FilterSnapshot getModel(OnTimerContext ctx, String m) {
    try {
      return ctx.getBroadcastState(MODELS).get(m);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the broadcast state of model '" + m + "'", e);
    }
  }

  private void predict(TensorRecord r, String m, FilterSnapshot snap, Collector<Prediction> out,
      Consumer<DeadLetter> deadOut) {
    Tensor output;
    try {
      Tensor input = RecordValidator.tensorOf(r, limits);
      GradMode.Scope noGrad = GradMode.noGrad();
      try (noGrad) {
        output = ModelTrainer.forward(module(m, snap), input, "tensor");
      }
      for (int k = 0; k < output.numel(); k++) {
        if (!Double.isFinite(output.buffer()[k])) {
          throw new InvalidRecordException("output value " + output.buffer()[k] + " at flat index " + k
              + " is not finite (model '" + m + "' version " + snap.getVersion() + ")");
        }
      }
    } catch (InvalidRecordException e) {
      dead(deadOut, r, e.reason());
      return;
    }
    metrics.out();
    long eventTime = r.getEventTime().toEpochMilli();
    gauges.set(m, "modelAgeMs", Staleness.age(snap, eventTime));
    out.collect(Prediction.newBuilder()
        .setKey(r.getKey())
        .setSeq(r.getSeq())
        .setModel(m)
        .setModelVersion(snap.getVersion())
        .setOutput(TensorCodec.encode(output, r.getTensor().getDtype()))
        .setEventTime(r.getEventTime())
        .build());
  }

  /** The module of model {@code m} at {@code snap}'s version (rebuilt after a restore, which empties the cache). */
  private Module module(String m, FilterSnapshot snap) throws InvalidRecordException {
    Long built = moduleVersions.get(m);
    if (built == null || built != snap.getVersion()) {
      modules.put(m, build(snap));
      moduleVersions.put(m, snap.getVersion());
    }
    return modules.get(m);
  }

  /** A module with the snapshot's parameters; a snapshot that does not fit the layer is refused with the reason. */
  private Module build(FilterSnapshot snap) throws InvalidRecordException {
    if (snap == null || snap.getModel() == null) {
      throw new InvalidRecordException("model is missing (null)");
    }
    Map<String, Tensor> state = SnapshotParameters.of(snap);
    Module module = layer.create();
    try {
      module.loadStateDict(state);
    } catch (IllegalArgumentException e) {
      // load_state_dict's message lists every problem on its own line after a heading
      String problems = e.getMessage().substring(e.getMessage().indexOf(":\n\t") + 3).replace("\n\t", "; ");
      throw new InvalidRecordException("does not fit layer " + layer + ": " + problems, e);
    }
    return module;
  }

  /** Whether the layer can take {@code input}, as the layer itself says. */
  private void checkInput(Tensor input) throws InvalidRecordException {
    try {
      template.outputShape(input.shape());
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException("tensor: " + e.getMessage(), e);
    }
  }

  private void dead(Consumer<DeadLetter> deadOut, TensorRecord r, String reason) {
    metrics.dead();
    DeadLetter d = DeadLetters.of(Uids.PREDICTOR, reason, r == null ? null : r.getKey(),
        r == null ? null : r.getSeq(), r);
    deadOut.accept(d);
  }
}
