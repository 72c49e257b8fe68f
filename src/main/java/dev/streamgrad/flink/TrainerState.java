package dev.streamgrad.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Everything the trainer keeps per model, in one keyed {@code ValueState} whose type information
 * is declared field by field ({@link #TYPE_INFO}: Flink's POJO serializer, no Kryo, no Java
 * serialization). Public fields and a no-arg constructor because that is Flink's POJO contract.
 *
 * <p>Layout: {@code params} the model's state dict, each parameter's values row-major under its
 * dotted name (the shapes are the layer's); {@code optimizer} the optimizer's state dict
 * ({@code "0.momentum_buffer"}, {@code "0.exp_avg"}, {@code "1.step"}..., indexed by the module's
 * parameter order as in PyTorch); {@code batchGrads} the gradients summed over the records of the
 * pending mini-batch, by parameter name; {@code lossSum}/{@code lossCount} the losses since the last
 * snapshot; {@code guard*} the {@link LossGuard}'s recent losses; {@code lr*} the learning-rate
 * scheduler's state; {@code evaluation} the model's {@link EvaluationState}. Fields added later
 * restore as 0 or null from older savepoints, which is their state before the first record.
 *
 * <p>Savepoints of releases before the state dict hold a conv2d in {@code filter}, {@code bias},
 * {@code kernelHeight}, {@code kernelWidth}, {@code batchGradFilter} and {@code batchGradBias}.
 * Those fields stay so that Flink's POJO serializer reads them; {@link #migrateLegacyConv2d()} moves
 * them into {@code params} and {@code batchGrads} (parameters {@code filter}, {@code bias}: the
 * same order, so the optimizer's indices keep their meaning) where such a state is read: the
 * trainer's keyed state and the State Processor API.
 */
public final class TrainerState {
  /** The declared type information of this state. */
  public static final TypeInformation<TrainerState> TYPE_INFO = typeInfo();

  /** Parameter values by dotted name, row-major. */
  public Map<String, double[]> params;
  public Map<String, double[]> optimizer = new HashMap<>();
  /** Optimizer updates applied. */
  public long version;
  /** Records trained on (their gradient accepted), including a pending mini-batch. */
  public long records;
  /** {@link #records} when the last snapshot was emitted. */
  public long recordsAtSnapshot;
  public double lossSum;
  public long lossCount;
  /** Gradients of the pending mini-batch, summed, by parameter name; null when none is pending. */
  public Map<String, double[]> batchGrads;
  public int batchCount;
  /** Event time (epoch millis) of the last record trained on. */
  public long eventTime;
  /** {@link LossGuard}: the last accepted losses (a ring), how many, the next slot, their sum. */
  public double[] guardRecent;
  public int guardCount;
  public int guardNext;
  public double guardSum;
  /** {@link LossGuard}: records refused in a row. */
  public int guardConsecutive;
  /**
   * The learning-rate scheduler's {@code SchedulerState} ({@code train.lrSchedule}): last epoch, step
   * count, base and last lr; {@code lrStepCount} 0 before the first update (or without a schedule).
   */
  public long lrLastEpoch;
  public long lrStepCount;
  public double lrBaseLr;
  public double lrLastLr;
  /** The model's evaluation ({@link Evaluator}); null until its first record (and in older savepoints). */
  public EvaluationState evaluation;

  /** Legacy conv2d layout (read from older savepoints only, then null): the filter, row-major. */
  public double[] filter;
  /** Legacy conv2d layout: the filter's height. */
  public int kernelHeight;
  /** Legacy conv2d layout: the filter's width. */
  public int kernelWidth;
  /** Legacy conv2d layout: the bias. */
  public double bias;
  /** Legacy conv2d layout: the pending mini-batch's summed filter gradient. */
  public double[] batchGradFilter;
  /** Legacy conv2d layout: the pending mini-batch's summed bias gradient. */
  public double batchGradBias;

  public TrainerState() {}

  /**
   * Moves a state restored from a savepoint of the conv2d-only layout into {@code params} and
   * {@code batchGrads}; a state already in the state-dict layout is left as it is.
   *
   * @return whether anything was moved
   */
  public boolean migrateLegacyConv2d() {
    if (params != null || filter == null) {
      return false;
    }
    params = new HashMap<>();
    params.put("filter", filter);
    params.put("bias", new double[] {bias});
    if (batchCount > 0 && batchGradFilter != null) {
      batchGrads = new HashMap<>();
      batchGrads.put("filter", batchGradFilter);
      batchGrads.put("bias", new double[] {batchGradBias});
    }
    filter = null;
    kernelHeight = 0;
    kernelWidth = 0;
    bias = 0;
    batchGradFilter = null;
    batchGradBias = 0;
    return true;
  }

  /** A deep copy. */
  public TrainerState copy() {
    TrainerState c = new TrainerState();
    c.params = copy(params);
    c.optimizer = copy(optimizer);
    c.version = version;
    c.records = records;
    c.recordsAtSnapshot = recordsAtSnapshot;
    c.lossSum = lossSum;
    c.lossCount = lossCount;
    c.batchGrads = copy(batchGrads);
    c.batchCount = batchCount;
    c.eventTime = eventTime;
    c.guardRecent = guardRecent == null ? null : guardRecent.clone();
    c.guardCount = guardCount;
    c.guardNext = guardNext;
    c.guardSum = guardSum;
    c.guardConsecutive = guardConsecutive;
    c.lrLastEpoch = lrLastEpoch;
    c.lrStepCount = lrStepCount;
    c.lrBaseLr = lrBaseLr;
    c.lrLastLr = lrLastLr;
    c.evaluation = evaluation == null ? null : evaluation.copy();
    c.filter = filter == null ? null : filter.clone();
    c.kernelHeight = kernelHeight;
    c.kernelWidth = kernelWidth;
    c.bias = bias;
    c.batchGradFilter = batchGradFilter == null ? null : batchGradFilter.clone();
    c.batchGradBias = batchGradBias;
    return c;
  }

  private static Map<String, double[]> copy(Map<String, double[]> m) {
    if (m == null) {
      return null;
    }
    Map<String, double[]> c = new HashMap<>();
    m.forEach((k, v) -> c.put(k, v.clone()));
    return c;
  }

  private static TypeInformation<TrainerState> typeInfo() {
    TypeInformation<?> doubles = Types.PRIMITIVE_ARRAY(Types.DOUBLE);
    TypeInformation<?> named = Types.MAP(Types.STRING, doubles);
    Map<String, TypeInformation<?>> fields = new HashMap<>();
    fields.put("params", named);
    fields.put("optimizer", named);
    fields.put("version", Types.LONG);
    fields.put("records", Types.LONG);
    fields.put("recordsAtSnapshot", Types.LONG);
    fields.put("lossSum", Types.DOUBLE);
    fields.put("lossCount", Types.LONG);
    fields.put("batchGrads", named);
    fields.put("batchCount", Types.INT);
    fields.put("eventTime", Types.LONG);
    fields.put("guardRecent", doubles);
    fields.put("guardCount", Types.INT);
    fields.put("guardNext", Types.INT);
    fields.put("guardSum", Types.DOUBLE);
    fields.put("guardConsecutive", Types.INT);
    fields.put("lrLastEpoch", Types.LONG);
    fields.put("lrStepCount", Types.LONG);
    fields.put("lrBaseLr", Types.DOUBLE);
    fields.put("lrLastLr", Types.DOUBLE);
    fields.put("evaluation", EvaluationState.TYPE_INFO);
    fields.put("filter", doubles);
    fields.put("kernelHeight", Types.INT);
    fields.put("kernelWidth", Types.INT);
    fields.put("bias", Types.DOUBLE);
    fields.put("batchGradFilter", doubles);
    fields.put("batchGradBias", Types.DOUBLE);
    return Types.POJO(TrainerState.class, fields);
  }
}
