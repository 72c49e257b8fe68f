package dev.streamgrad.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * River's {@code drift.ADWIN} (ADaptive WINdowing, Bifet and Gavaldà 2007, the ADWIN2 bucket
 * compression): a window of recent values kept as rows of buckets, row {@code i} holding up to
 * {@code maxBuckets} summaries of {@code 2^i} values each. Every {@code clock} values (once more than
 * {@code gracePeriod} have arrived) each cut of the window into an older and a newer part is tested;
 * when the parts' means differ by more than the variance-aware Hoeffding bound
 *
 * <pre>
 * m = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1)
 * d = ln(2 ln(width) / delta)
 * |mean0 - mean1| > sqrt(2 m (variance / width) d) + 2/3 d m
 * </pre>
 *
 * the oldest bucket is dropped and the test repeats; a drift is reported if any bucket was dropped.
 * This follows River's {@code adwin_c.pyx} operation for operation, with River PR #1613: every bucket
 * of a row is a cut point. After a detection the next {@link #update} starts a fresh window, as
 * River's {@code ADWIN.update} does.
 */
public final class Adwin implements DriftDetector {
  private static final int HEADER_COUNTS = 6;
  private static final int HEADER_VALUES = 4;

  private final double delta;
  private final int clock;
  private final int maxBuckets;
  private final int minWindowLength;
  private final int gracePeriod;

  /** Row i: up to maxBuckets + 1 bucket totals and variances of 2^i values each, oldest first. */
  private final List<double[]> rowTotals = new ArrayList<>();
  private final List<double[]> rowVariances = new ArrayList<>();
  private final List<int[]> rowSizes = new ArrayList<>();
  private double total;
  private double variance;
  private double width;
  private double totalWidth;
  private long nBuckets;
  private long maxNBuckets;
  private long tick;
  private long nDetections;
  private boolean driftDetected;

  /** River's defaults: delta=0.002, clock=32, max_buckets=5, min_window_length=5, grace_period=10. */
  public Adwin() {
    this(0.002, 32, 5, 5, 10);
  }

  /**
   * @param delta the significance value, in (0, 1): smaller detects less and later
   * @param clock how often (in values) the window is checked for a change
   * @param maxBuckets buckets of one size kept before two are merged
   * @param minWindowLength the least length of each of the two parts of a cut
   * @param gracePeriod values that must arrive before the first check
   * @throws IllegalArgumentException naming the parameter, for values River's test is not made for
   */
  public Adwin(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
    if (clock < 1) {
      throw new IllegalArgumentException("clock must be >= 1, got " + clock);
    }
    if (maxBuckets < 1) {
      throw new IllegalArgumentException("max_buckets must be >= 1, got " + maxBuckets);
    }
    if (minWindowLength < 1) {
      throw new IllegalArgumentException("min_window_length must be >= 1, got " + minWindowLength);
    }
    if (gracePeriod < 0) {
      throw new IllegalArgumentException("grace_period must be >= 0, got " + gracePeriod);
    }
    this.delta = delta;
    this.clock = clock;
    this.maxBuckets = maxBuckets;
    this.minWindowLength = minWindowLength;
    this.gracePeriod = gracePeriod;
    reset();
  }

  @Override
  public void reset() {
    rowTotals.clear();
    rowVariances.clear();
    rowSizes.clear();
    addRow();
    total = 0;
    variance = 0;
    width = 0;
    totalWidth = 0;
    nBuckets = 0;
    maxNBuckets = 0;
    tick = 0;
    nDetections = 0;
    driftDetected = false;
  }

  private void addRow() {
    rowTotals.add(new double[maxBuckets + 1]);
    rowVariances.add(new double[maxBuckets + 1]);
    rowSizes.add(new int[1]);
  }

  @Override
  public boolean update(double x) {
    DriftDetector.checkFinite(x);
    if (driftDetected) {
      reset();
    }
    insertElement(x);
    driftDetected = detectChange();
    return driftDetected;
  }

  @Override
  public boolean driftDetected() {
    return driftDetected;
  }

  /** Values in the window. */
  public long width() {
    return (long) width;
  }

  /** The window's mean (River's {@code estimation}), 0 when empty. */
  public double estimation() {
    return width == 0 ? 0.0 : total / width;
  }

  /** The window's sum of squared deviations from its mean (River's {@code variance}). */
  public double variance() {
    return variance;
  }

  /** Detections since the last reset (River resets after each, so 0 or 1). */
  public long detections() {
    return nDetections;
  }

  private void insertElement(double value) {
    insertData(0, value, 0.0);
    nBuckets++;
    if (nBuckets > maxNBuckets) {
      maxNBuckets = nBuckets;
    }
    width += 1;
    double incrementalVariance = 0.0;
    if (width > 1.0) {
      incrementalVariance = (width - 1.0) * (value - total / (width - 1.0)) * (value - total / (width - 1.0)) / width;
    }
    variance += incrementalVariance;
    total += value;
    compressBuckets();
  }

  private void insertData(int row, double value, double var) {
    int[] size = rowSizes.get(row);
    rowTotals.get(row)[size[0]] = value;
    rowVariances.get(row)[size[0]] = var;
    size[0]++;
  }

  /** Drops the {@code n} oldest buckets of a row, shifting the rest to the front. */
  private void compress(int row, int n) {
    double[] t = rowTotals.get(row);
    double[] v = rowVariances.get(row);
    int[] size = rowSizes.get(row);
    int remaining = size[0] - n;
    System.arraycopy(t, n, t, 0, Math.max(remaining, 0));
    System.arraycopy(v, n, v, 0, Math.max(remaining, 0));
    for (int i = Math.max(remaining, 0); i < size[0]; i++) {
      t[i] = 0.0;
      v[i] = 0.0;
    }
    size[0] -= n;
  }

  private void compressBuckets() {
    for (int idx = 0; idx < rowSizes.size(); idx++) {
      if (rowSizes.get(idx)[0] != maxBuckets + 1) {
        break;
      }
      if (idx + 1 == rowSizes.size()) {
        addRow();
      }
      double[] t = rowTotals.get(idx);
      double[] v = rowVariances.get(idx);
      double n1 = 1L << idx;
      double mu1 = t[0] / n1;
      double mu2 = t[1] / n1;
      double total12 = t[0] + t[1];
      double temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2);
      double v12 = v[0] + v[1] + temp;
      insertData(idx + 1, total12, v12);
      nBuckets++;
      compress(idx, 2);
      if (rowSizes.get(idx + 1)[0] <= maxBuckets) {
        break;
      }
    }
  }

  private double deleteElement() {
    int last = rowSizes.size() - 1;
    double n = 1L << last;
    double u = rowTotals.get(last)[0];
    double mu = u / n;
    double v = rowVariances.get(last)[0];
    width -= n;
    total -= u;
    double muWindow = total / width;
    double incrementalVariance = v + n * width * (mu - muWindow) * (mu - muWindow) / (n + width);
    variance -= incrementalVariance;
    compress(last, 1);
    nBuckets--;
    if (rowSizes.get(last)[0] == 0) {
      rowTotals.remove(last);
      rowVariances.remove(last);
      rowSizes.remove(last);
    }
    return n;
  }

  private boolean detectChange() {
    boolean changeDetected = false;
    tick++;
    if (tick % clock == 0 && width > gracePeriod) {
      boolean reduceWidth = true;
      while (reduceWidth) {
        reduceWidth = false;
        boolean exit = false;
        double n0 = 0.0;
        double n1 = width;
        double u0 = 0.0;
        double u1 = total;
        // River also updates the two parts' variances here (v0, v1) but never reads them
        for (int idx = rowSizes.size() - 1; idx >= 0 && !exit; idx--) {
          double[] t = rowTotals.get(idx);
          int size = rowSizes.get(idx)[0];
          double bucketSize = 1L << idx;
          for (int k = 0; k < size; k++) {
            n0 += bucketSize;
            n1 -= bucketSize;
            u0 += t[k];
            u1 -= t[k];
            if (idx == 0 && k == size - 1) {
              exit = true;
              break;
            }
            double deltaMean = (u0 / n0) - (u1 / n1);
            if (n1 >= minWindowLength && n0 >= minWindowLength && evaluateCut(n0, n1, deltaMean)) {
              reduceWidth = true;
              changeDetected = true;
              if (width > 0) {
                n0 -= deleteElement();
                exit = true;
                break;
              }
            }
          }
        }
      }
    }
    totalWidth += width;
    if (changeDetected) {
      nDetections++;
    }
    return changeDetected;
  }

  private boolean evaluateCut(double n0, double n1, double deltaMean) {
    double deltaPrime = Math.log(2 * Math.log(width) / delta);
    double mRecip = (1.0 / (n0 - minWindowLength + 1)) + (1.0 / (n1 - minWindowLength + 1));
    double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  /**
   * counts: {@code [tick, nDetections, nBuckets, maxNBuckets, driftDetected 0/1, rows, size of row 0,
   * ..., size of the last row]}; values: {@code [total, variance, width, totalWidth]} then, row by row,
   * the row's bucket totals followed by its bucket variances (only the filled buckets).
   */
  @Override
  public DetectorState snapshot() {
    int rows = rowSizes.size();
    long[] counts = new long[HEADER_COUNTS + rows];
    counts[0] = tick;
    counts[1] = nDetections;
    counts[2] = nBuckets;
    counts[3] = maxNBuckets;
    counts[4] = driftDetected ? 1 : 0;
    counts[5] = rows;
    int filled = 0;
    for (int r = 0; r < rows; r++) {
      counts[HEADER_COUNTS + r] = rowSizes.get(r)[0];
      filled += rowSizes.get(r)[0];
    }
    double[] values = new double[HEADER_VALUES + 2 * filled];
    values[0] = total;
    values[1] = variance;
    values[2] = width;
    values[3] = totalWidth;
    int at = HEADER_VALUES;
    for (int r = 0; r < rows; r++) {
      int size = rowSizes.get(r)[0];
      System.arraycopy(rowTotals.get(r), 0, values, at, size);
      System.arraycopy(rowVariances.get(r), 0, values, at + size, size);
      at += 2 * size;
    }
    return new DetectorState(counts, values);
  }

  @Override
  public void restore(DetectorState state) {
    long[] c = state.counts();
    double[] v = state.values();
    if (c.length < HEADER_COUNTS || v.length < HEADER_VALUES) {
      throw new IllegalArgumentException("ADWIN state needs at least " + HEADER_COUNTS + " counts and " + HEADER_VALUES
          + " values, got " + c.length + " and " + v.length);
    }
    long rows = c[5];
    if (rows < 1 || c.length != HEADER_COUNTS + rows) {
      throw new IllegalArgumentException("ADWIN state: " + rows + " bucket rows need " + (HEADER_COUNTS + rows)
          + " counts, got " + c.length);
    }
    if (c[4] != 0 && c[4] != 1) {
      throw new IllegalArgumentException("ADWIN state: drift flag must be 0 or 1, got " + c[4]);
    }
    long filled = 0;
    for (int r = 0; r < rows; r++) {
      long size = c[HEADER_COUNTS + r];
      if (size < 0 || size > maxBuckets) {
        throw new IllegalArgumentException("ADWIN state: row " + r + " holds " + size + " buckets, but max_buckets is "
            + maxBuckets);
      }
      filled += size;
    }
    if (v.length != HEADER_VALUES + 2 * filled) {
      throw new IllegalArgumentException("ADWIN state: " + filled + " buckets need " + (HEADER_VALUES + 2 * filled)
          + " values, got " + v.length);
    }
    rowTotals.clear();
    rowVariances.clear();
    rowSizes.clear();
    int at = HEADER_VALUES;
    for (int r = 0; r < rows; r++) {
      int size = (int) c[HEADER_COUNTS + r];
      addRow();
      System.arraycopy(v, at, rowTotals.get(r), 0, size);
      System.arraycopy(v, at + size, rowVariances.get(r), 0, size);
      rowSizes.get(r)[0] = size;
      at += 2 * size;
    }
    tick = c[0];
    nDetections = c[1];
    nBuckets = c[2];
    maxNBuckets = c[3];
    driftDetected = c[4] == 1;
    total = v[0];
    variance = v[1];
    width = v[2];
    totalWidth = v[3];
  }
}
