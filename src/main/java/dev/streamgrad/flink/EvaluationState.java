package dev.streamgrad.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A model's evaluation in its {@link TrainerState} ({@link Evaluator} keeps it): the rolling
 * windows of prequential and holdout losses, the open and the last closed event-time window, the
 * drift detector's state and the drifts not yet reported in a snapshot. A Flink POJO with declared
 * type information, nested in {@link TrainerState}; states of savepoints taken before it existed
 * restore with it null, and the evaluation starts then.
 */
public final class EvaluationState {
  /** The declared type information of this state. */
  public static final TypeInformation<EvaluationState> TYPE_INFO = typeInfo();

  /** Losses of the last trained records (prequential: each under the model before its update). */
  public Ring prequential = new Ring();
  /** Losses of the last held-out records. */
  public Ring holdout = new Ring();
  /** Records held out so far. */
  public long heldOut;
  /** Records evaluated so far (trained and held out): the holdout's record index. */
  public long seen;

  /** The open event-time window: its start (epoch millis), sums and counts; open when a count is above 0. */
  public long windowStart;
  public double windowSum;
  public long windowCount;
  public double windowHoldoutSum;
  public long windowHoldoutCount;
  /** The last closed event-time window: start, mean losses, counts (0 and NaN before the first closes). */
  public long closedStart;
  public double closedLoss = Double.NaN;
  public long closedCount;
  public double closedHoldoutLoss = Double.NaN;
  public long closedHoldoutCount;

  /** The drift detector's {@code DetectorState}: null before its first value. */
  public long[] detectorCounts;
  public double[] detectorValues;
  /** Drifts detected so far. */
  public long drifts;
  /** Drifts since the last snapshot, oldest first (at most {@link Evaluator#MAX_PENDING_DRIFTS}). */
  public long[] driftSeq = new long[0];
  public long[] driftRecords = new long[0];
  public long[] driftVersion = new long[0];
  public double[] driftLoss = new double[0];
  public long[] driftTime = new long[0];

  public EvaluationState() {}

  /** A deep copy. */
  public EvaluationState copy() {
    EvaluationState c = new EvaluationState();
    c.prequential = prequential.copy();
    c.holdout = holdout.copy();
    c.heldOut = heldOut;
    c.seen = seen;
    c.windowStart = windowStart;
    c.windowSum = windowSum;
    c.windowCount = windowCount;
    c.windowHoldoutSum = windowHoldoutSum;
    c.windowHoldoutCount = windowHoldoutCount;
    c.closedStart = closedStart;
    c.closedLoss = closedLoss;
    c.closedCount = closedCount;
    c.closedHoldoutLoss = closedHoldoutLoss;
    c.closedHoldoutCount = closedHoldoutCount;
    c.detectorCounts = detectorCounts == null ? null : detectorCounts.clone();
    c.detectorValues = detectorValues == null ? null : detectorValues.clone();
    c.drifts = drifts;
    c.driftSeq = driftSeq.clone();
    c.driftRecords = driftRecords.clone();
    c.driftVersion = driftVersion.clone();
    c.driftLoss = driftLoss.clone();
    c.driftTime = driftTime.clone();
    return c;
  }

  /**
   * The last {@code values.length} losses, a ring: {@code count} filled, {@code next} the slot to
   * write, {@code sum} theirs. The sum is kept running and added up again from the values each time
   * the ring wraps and whenever the loss leaving it is at least half the sum (a spike leaving would
   * otherwise leave its rounding error in the mean of the small losses after it).
   */
  public static final class Ring {
    public static final TypeInformation<Ring> TYPE_INFO = ringTypeInfo();

    public double[] values;
    public int count;
    public int next;
    public double sum;

    public Ring() {}

    /** Adds {@code loss}, dropping the oldest when {@code capacity} are held (a new capacity starts over). */
    void add(double loss, int capacity) {
      if (values == null || values.length != capacity) {
        values = new double[capacity];
        count = 0;
        next = 0;
        sum = 0;
      }
      double leaving = count == capacity ? values[next] : 0;
      values[next] = loss;
      next = (next + 1) % capacity;
      if (count < capacity) {
        count++;
      }
      if (next == 0 || leaving >= 0.5 * sum) {
        double s = 0;
        for (int k = 0; k < count; k++) {
          s += values[k];
        }
        sum = s;
      } else {
        sum = sum - leaving + loss;
      }
    }

    /** The mean of the held losses, NaN when none. */
    double mean() {
      return count == 0 ? Double.NaN : sum / count;
    }

    Ring copy() {
      Ring c = new Ring();
      c.values = values == null ? null : values.clone();
      c.count = count;
      c.next = next;
      c.sum = sum;
      return c;
    }

    private static TypeInformation<Ring> ringTypeInfo() {
      Map<String, TypeInformation<?>> f = new HashMap<>();
      f.put("values", Types.PRIMITIVE_ARRAY(Types.DOUBLE));
      f.put("count", Types.INT);
      f.put("next", Types.INT);
      f.put("sum", Types.DOUBLE);
      return Types.POJO(Ring.class, f);
    }
  }

  private static TypeInformation<EvaluationState> typeInfo() {
    TypeInformation<?> longs = Types.PRIMITIVE_ARRAY(Types.LONG);
    TypeInformation<?> doubles = Types.PRIMITIVE_ARRAY(Types.DOUBLE);
    Map<String, TypeInformation<?>> f = new HashMap<>();
    f.put("prequential", Ring.TYPE_INFO);
    f.put("holdout", Ring.TYPE_INFO);
    f.put("heldOut", Types.LONG);
    f.put("seen", Types.LONG);
    f.put("windowStart", Types.LONG);
    f.put("windowSum", Types.DOUBLE);
    f.put("windowCount", Types.LONG);
    f.put("windowHoldoutSum", Types.DOUBLE);
    f.put("windowHoldoutCount", Types.LONG);
    f.put("closedStart", Types.LONG);
    f.put("closedLoss", Types.DOUBLE);
    f.put("closedCount", Types.LONG);
    f.put("closedHoldoutLoss", Types.DOUBLE);
    f.put("closedHoldoutCount", Types.LONG);
    f.put("detectorCounts", longs);
    f.put("detectorValues", doubles);
    f.put("drifts", Types.LONG);
    f.put("driftSeq", longs);
    f.put("driftRecords", longs);
    f.put("driftVersion", longs);
    f.put("driftLoss", doubles);
    f.put("driftTime", longs);
    return Types.POJO(EvaluationState.class, f);
  }
}
