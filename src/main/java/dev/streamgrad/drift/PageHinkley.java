package dev.streamgrad.drift;

import java.util.Locale;

/**
 * River's {@code drift.PageHinkley}: a two-sided Page-Hinkley test on the fading deviation of each
 * value from the running mean. With {@code m} the mean so far and {@code d = x - m}:
 *
 * <pre>
 * sumIncrease = alpha * sumIncrease + d - delta     minIncrease = min(minIncrease, sumIncrease)
 * sumDecrease = alpha * sumDecrease + d + delta     maxDecrease = max(maxDecrease, sumDecrease)
 * drift (once n >= minInstances):  sumIncrease - minIncrease > threshold   (mode UP or BOTH)
 *                              or  maxDecrease - sumDecrease > threshold   (mode DOWN or BOTH)
 * </pre>
 *
 * The arithmetic is River's, operation for operation, so the same stream gives the same detections.
 */
public final class PageHinkley implements DriftDetector {
  /** River's {@code mode}: which direction of change in the mean to detect. */
  public enum Mode {
    UP, DOWN, BOTH;

    /** River's names {@code "up"}, {@code "down"}, {@code "both"}. */
    public static Mode of(String name) {
      for (Mode m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("Invalid 'mode' '" + name + "'. Valid values are: [up, down, both]");
    }
  }

  private static final int STATE_VALUES = 6;

  private final int minInstances;
  private final double delta;
  private final double threshold;
  private final double alpha;
  private final Mode mode;

  private double n;
  private double mean;
  private double sumIncrease;
  private double sumDecrease;
  private double minIncrease;
  private double maxDecrease;
  private boolean driftDetected;

  /** River's defaults: min_instances=30, delta=0.005, threshold=50.0, alpha=1 - 0.0001, mode="both". */
  public PageHinkley() {
    this(30, 0.005, 50.0, 1 - 0.0001, Mode.BOTH);
  }

  /**
   * @param minInstances values seen before a drift can be reported
   * @param delta the magnitude of change that is tolerated
   * @param threshold the change detection threshold (lambda)
   * @param alpha the forgetting factor of the cumulative sums, in (0, 1]
   * @throws IllegalArgumentException naming the parameter, for values River's test is not made for
   */
  public PageHinkley(int minInstances, double delta, double threshold, double alpha, Mode mode) {
    if (minInstances < 1) {
      throw new IllegalArgumentException("min_instances must be >= 1, got " + minInstances);
    }
    if (!(delta >= 0) || Double.isInfinite(delta)) {
      throw new IllegalArgumentException("delta must be finite and >= 0, got " + delta);
    }
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite and > 0, got " + threshold);
    }
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
    }
    if (mode == null) {
      throw new IllegalArgumentException("Invalid 'mode' null. Valid values are: [up, down, both]");
    }
    this.minInstances = minInstances;
    this.delta = delta;
    this.threshold = threshold;
    this.alpha = alpha;
    this.mode = mode;
    reset();
  }

  @Override
  public void reset() {
    n = 0;
    mean = 0.0;
    sumIncrease = 0.0;
    sumDecrease = 0.0;
    minIncrease = Double.POSITIVE_INFINITY;
    maxDecrease = -1;
    driftDetected = false;
  }

  @Override
  public boolean update(double x) {
    DriftDetector.checkFinite(x);
    if (driftDetected) {
      reset();
    }
    // river.stats.Mean.update with w = 1
    n += 1.0;
    mean += (1.0 / n) * (x - mean);
    double dev = x - mean;
    sumIncrease = alpha * sumIncrease + dev - delta;
    sumDecrease = alpha * sumDecrease + dev + delta;
    if (sumIncrease < minIncrease) {
      minIncrease = sumIncrease;
    }
    if (sumDecrease > maxDecrease) {
      maxDecrease = sumDecrease;
    }
    if (n >= minInstances) {
      double testIncrease = sumIncrease - minIncrease;
      double testDecrease = maxDecrease - sumDecrease;
      driftDetected = switch (mode) {
        case UP -> testIncrease > threshold;
        case DOWN -> testDecrease > threshold;
        case BOTH -> testIncrease > threshold || testDecrease > threshold;
      };
    }
    return driftDetected;
  }

  @Override
  public boolean driftDetected() {
    return driftDetected;
  }

  /** Values seen since the last reset. */
  public long count() {
    return (long) n;
  }

  /** The running mean since the last reset. */
  public double mean() {
    return mean;
  }

  /**
   * counts: {@code [driftDetected 0/1]}; values: {@code [n, mean, sumIncrease, sumDecrease,
   * minIncrease, maxDecrease]} (minIncrease is +infinity before the first value).
   */
  @Override
  public DetectorState snapshot() {
    return new DetectorState(new long[] {driftDetected ? 1 : 0},
        new double[] {n, mean, sumIncrease, sumDecrease, minIncrease, maxDecrease});
  }

  @Override
  public void restore(DetectorState state) {
    long[] c = state.counts();
    double[] v = state.values();
    if (c.length != 1 || v.length != STATE_VALUES) {
      throw new IllegalArgumentException("Page-Hinkley state needs 1 count and " + STATE_VALUES + " values, got "
          + c.length + " and " + v.length);
    }
    if (c[0] != 0 && c[0] != 1) {
      throw new IllegalArgumentException("Page-Hinkley state: drift flag must be 0 or 1, got " + c[0]);
    }
    if (!(v[0] >= 0) || v[0] != Math.rint(v[0])) {
      throw new IllegalArgumentException("Page-Hinkley state: count must be a whole number >= 0, got " + v[0]);
    }
    driftDetected = c[0] == 1;
    n = v[0];
    mean = v[1];
    sumIncrease = v[2];
    sumDecrease = v[3];
    minIncrease = v[4];
    maxDecrease = v[5];
  }
}
