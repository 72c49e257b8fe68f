package dev.streamgrad.flink;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import dev.streamgrad.records.RecordValidator;
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
 * newest filter ({@code conv2d} forward) and stamps that version. A record whose model has not sent
 * a snapshot yet waits in keyed list state and is predicted, in arrival order, when the model's
 * first snapshot arrives. When the input ends (final watermark) with records still waiting, each
 * becomes a dead letter {@code no model '<m>' arrived before end of input}.
 */
final class PredictorFunction extends KeyedBroadcastProcessFunction<String, TensorRecord, FilterSnapshot, Prediction> {
  private static final long serialVersionUID = 1L;

  static final MapStateDescriptor<String, FilterSnapshot> MODELS =
      new MapStateDescriptor<>("predictor-models", Types.STRING, new AvroTypeInfo<>(FilterSnapshot.class));
  static final ListStateDescriptor<TensorRecord> BUFFER =
      new ListStateDescriptor<>("predictor-buffer", new AvroTypeInfo<>(TensorRecord.class));

  private final int kernelHeight;
  private final int kernelWidth;
  /** The one model every record uses, or null when each record's key names its model. */
  private final String model;
  private transient ListState<TensorRecord> buffer;
  private transient OperatorMetrics metrics;
  /** The largest record this subtask takes: from the heap and how many subtasks share it. */
  private transient RecordLimits limits;
  /** Decoded filters by model, valid for the version they were built from. */
  private transient Map<String, Conv2d> modules;
  private transient Map<String, Long> moduleVersions;

  PredictorFunction(LayerConfig layer, String model) {
    if (layer.type() != LayerConfig.Type.CONV2D) {
      throw new IllegalArgumentException("the predictor applies a learned conv2d filter; layer " + layer
          + " has no parameters");
    }
    this.kernelHeight = layer.kernelHeight();
    this.kernelWidth = layer.kernelWidth();
    this.model = model;
  }

  @Override
  public void open(OpenContext openContext) {
    limits = RecordLimits.forThisJvm(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    buffer = getRuntimeContext().getListState(BUFFER);
    metrics = new OperatorMetrics(getRuntimeContext().getMetricGroup(), true);
    modules = new HashMap<>();
    moduleVersions = new HashMap<>();
  }

  @Override
  public void processElement(TensorRecord r, ReadOnlyContext ctx, Collector<Prediction> out) throws Exception {
    metrics.in();
    String m = model != null ? model : (r == null ? null : r.getKey());
    try {
      Tensor input = RecordValidator.tensorOf(r, limits);
      checkInput(input);
    } catch (InvalidRecordException e) {
      dead(d -> ctx.output(DeadLetters.TAG, d), r, e.reason());
      return;
    }
    FilterSnapshot snap = ctx.getBroadcastState(MODELS).get(m);
    if (snap == null) {
      buffer.add(r);
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
      return;
    }
    predict(r, m, snap, out, d -> ctx.output(DeadLetters.TAG, d));
  }

  @Override
  public void processBroadcastElement(FilterSnapshot snap, Context ctx, Collector<Prediction> out) throws Exception {
    try {
      checkSnapshot(snap);
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
    metrics.modelVersion(snap.getVersion());
    metrics.loss(snap.getLoss());
    if (previous == null) {
      ctx.applyToKeyedState(BUFFER, (key, waiting) -> {
        List<TensorRecord> keep = new ArrayList<>();
        for (TensorRecord r : waiting.get()) {
          String m = model != null ? model : r.getKey();
          if (m.equals(snap.getModel())) {
            predict(r, m, snap, out, d -> ctx.output(DeadLetters.TAG, d));
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
    for (TensorRecord r : buffer.get()) {
      String m = model != null ? model : r.getKey();
      FilterSnapshot snap = ctx.getBroadcastState(MODELS).get(m);
      if (snap != null) {
        predict(r, m, snap, out, d -> ctx.output(DeadLetters.TAG, d));
      } else {
        dead(d -> ctx.output(DeadLetters.TAG, d), r, "no model '" + m + "' arrived before end of input");
      }
    }
    buffer.clear();
  }

  private void predict(TensorRecord r, String m, FilterSnapshot snap, Collector<Prediction> out,
      Consumer<DeadLetter> deadOut) {
    Tensor output;
    try {
      Tensor input = RecordValidator.tensorOf(r, limits);
      GradMode.Scope noGrad = GradMode.noGrad();
      try (noGrad) {
        output = module(m, snap).forward(input);
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
    out.collect(Prediction.newBuilder()
        .setKey(r.getKey())
        .setSeq(r.getSeq())
        .setModel(m)
        .setModelVersion(snap.getVersion())
        .setOutput(TensorCodec.encode(output, r.getTensor().getDtype()))
        .build());
  }

  private Conv2d module(String m, FilterSnapshot snap) throws InvalidRecordException {
    Long built = moduleVersions.get(m);
    if (built == null || built != snap.getVersion()) {
      modules.put(m, new Conv2d(TensorCodec.decode(snap.getFilter()), Tensor.full(snap.getBias(), 1, 1)));
      moduleVersions.put(m, snap.getVersion());
    }
    return modules.get(m);
  }

  private void checkInput(Tensor input) throws InvalidRecordException {
    if (input.dim() != 2) {
      throw new InvalidRecordException("tensor: conv2d needs a 2-D input, got shape " + Shapes.format(input.shape()));
    }
    if (input.size(0) < kernelHeight || input.size(1) < kernelWidth) {
      throw new InvalidRecordException("tensor: input of shape " + Shapes.format(input.shape())
          + " is smaller than the kernel of shape " + Shapes.format(kernelHeight, kernelWidth));
    }
  }

  private void checkSnapshot(FilterSnapshot snap) throws InvalidRecordException {
    if (snap == null || snap.getModel() == null) {
      throw new InvalidRecordException("model is missing (null)");
    }
    Tensor filter;
    try {
      filter = TensorCodec.decode(snap.getFilter());
    } catch (InvalidRecordException e) {
      throw e.in("filter");
    }
    if (!Shapes.same(filter.shape(), new int[] {kernelHeight, kernelWidth})) {
      throw new InvalidRecordException("filter shape " + Shapes.format(filter.shape())
          + " does not match the layer's kernel " + Shapes.format(kernelHeight, kernelWidth));
    }
    if (!Double.isFinite(snap.getBias())) {
      throw new InvalidRecordException("bias " + snap.getBias() + " is not finite");
    }
  }

  private void dead(Consumer<DeadLetter> deadOut, TensorRecord r, String reason) {
    metrics.dead();
    DeadLetter d = DeadLetters.of(Uids.PREDICTOR, reason, r == null ? null : r.getKey(),
        r == null ? null : r.getSeq(), r);
    deadOut.accept(d);
  }
}
