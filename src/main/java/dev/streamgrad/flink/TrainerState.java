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
 * <p>Layout: {@code filter} row-major {@code [kernelHeight, kernelWidth]}; {@code optimizer} the
 * optimizer's state dict ({@code "0.momentum_buffer"}, {@code "0.exp_avg"}, {@code "1.step"}...,
 * parameter 0 the filter, 1 the bias); {@code batch*} the gradients summed over the records of the
 * pending mini-batch; {@code lossSum}/{@code lossCount} the losses since the last snapshot;
 * {@code guard*} the {@link LossGuard}'s recent losses (fields added later: older savepoints restore
 * them empty, as Flink's POJO serializer adds new fields).
 */
public final class TrainerState {
  /** The declared type information of this state. */
  public static final TypeInformation<TrainerState> TYPE_INFO = typeInfo();

  public double[] filter;
  public int kernelHeight;
  public int kernelWidth;
  public double bias;
  public Map<String, double[]> optimizer = new HashMap<>();
  /** Optimizer updates applied. */
  public long version;
  /** Records trained on (their gradient accepted), including a pending mini-batch. */
  public long records;
  /** {@link #records} when the last snapshot was emitted. */
  public long recordsAtSnapshot;
  public double lossSum;
  public long lossCount;
  public double[] batchGradFilter;
  public double batchGradBias;
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

  public TrainerState() {}

  /** A deep copy. */
  public TrainerState copy() {
    TrainerState c = new TrainerState();
    c.filter = filter == null ? null : filter.clone();
    c.kernelHeight = kernelHeight;
    c.kernelWidth = kernelWidth;
    c.bias = bias;
    c.optimizer = new HashMap<>();
    optimizer.forEach((k, v) -> c.optimizer.put(k, v.clone()));
    c.version = version;
    c.records = records;
    c.recordsAtSnapshot = recordsAtSnapshot;
    c.lossSum = lossSum;
    c.lossCount = lossCount;
    c.batchGradFilter = batchGradFilter == null ? null : batchGradFilter.clone();
    c.batchGradBias = batchGradBias;
    c.batchCount = batchCount;
    c.eventTime = eventTime;
    c.guardRecent = guardRecent == null ? null : guardRecent.clone();
    c.guardCount = guardCount;
    c.guardNext = guardNext;
    c.guardSum = guardSum;
    c.guardConsecutive = guardConsecutive;
    return c;
  }

  private static TypeInformation<TrainerState> typeInfo() {
    TypeInformation<?> doubles = Types.PRIMITIVE_ARRAY(Types.DOUBLE);
    Map<String, TypeInformation<?>> fields = new HashMap<>();
    fields.put("filter", doubles);
    fields.put("kernelHeight", Types.INT);
    fields.put("kernelWidth", Types.INT);
    fields.put("bias", Types.DOUBLE);
    fields.put("optimizer", Types.MAP(Types.STRING, doubles));
    fields.put("version", Types.LONG);
    fields.put("records", Types.LONG);
    fields.put("recordsAtSnapshot", Types.LONG);
    fields.put("lossSum", Types.DOUBLE);
    fields.put("lossCount", Types.LONG);
    fields.put("batchGradFilter", doubles);
    fields.put("batchGradBias", Types.DOUBLE);
    fields.put("batchCount", Types.INT);
    fields.put("eventTime", Types.LONG);
    fields.put("guardRecent", doubles);
    fields.put("guardCount", Types.INT);
    fields.put("guardNext", Types.INT);
    fields.put("guardSum", Types.DOUBLE);
    fields.put("guardConsecutive", Types.INT);
    return Types.POJO(TrainerState.class, fields);
  }
}
