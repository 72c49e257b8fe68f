package dev.streamgrad.autograd;

/**
 * Sums a contiguous run of doubles in exactly the order PyTorch's CPU sum kernel does (ATen
 * {@code SumKernel.cpp}, {@code cascade_sum} with AVX2's 4-lane {@code Vectorized<double>}), so
 * that sums, means and losses, and the training trajectories that depend on them, agree with
 * PyTorch's to the last bit instead of drifting by an ulp per step.
 *
 * <p>Layout of the order, for {@code n >= 4}: the run is read as {@code n / 4} vectors of 4 lanes
 * plus a scalar tail. The vectors are summed by {@code row_sum}: four interleaved accumulators (ILP
 * 4) per lane, each a cascade of four levels that flushes every {@code 2^max(4, ceil(log2 m) / 4)}
 * rows (m rows of 4 vectors), then the leftover vectors into accumulator 0, then accumulators 1..3
 * into 0. The result is the scalar tail summed in order, plus lanes 0..3 in order. For
 * {@code n < 4} the sum is sequential. Checked against {@code torch.sum} for every n up to 300 and
 * larger sizes up to 20000 (beyond PyTorch's parallel grain of 32768 elements its threads may split
 * the run differently).
 */
public final class Sums {
  private static final int LANES = 4;
  private static final int ILP = 4;
  private static final int LEVELS = 4;

  private Sums() {}

  /** The sum of all values of {@code x}. */
  public static double sum(double[] x) {
    return sum(x, 0, x.length);
  }

  /** The sum of {@code x[offset .. offset + n)}. */
  public static double sum(double[] x, int offset, int n) {
    return cascadeSum(x, null, offset, n);
  }

  /**
   * {@code sum((a - b)^2)} over {@code [0, a.length)} in the same order as {@link #sum} of the
   * squared differences, without materialising them: what {@code mse_loss} sums.
   */
  public static double sumOfSquaredDifferences(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("sum of squared differences of " + a.length + " and " + b.length + " values");
    }
    return cascadeSum(a, b, 0, a.length);
  }

  /**
   * The cascade sum of {@code term(offset + i)} for {@code i < n}, where a term is {@code a[k]}
   * when {@code b} is null and {@code (a[k] - b[k])^2} otherwise. The sixteen level-0 accumulators
   * ({@code ILP x LANES}, named {@code s<k><lane>}) live in locals so that the JIT keeps them in
   * registers; the upper levels, touched once per {@code 2^levelPower} rows, in an array.
   */
  private static double cascadeSum(double[] a, double[] b, int offset, int n) {
    if (n < LANES) {
      double s = 0.0;
      for (int i = 0; i < n; i++) {
        s += term(a, b, offset + i);
      }
      return s;
    }
    int vectors = n / LANES;
    int rows = vectors / ILP;
    int levelPower = Math.max(4, ceilLog2(rows) / LEVELS);
    int levelStep = 1 << levelPower;
    long levelMask = levelStep - 1;
    // upper[level - 1][k * LANES + lane] for levels 1..3
    double[][] upper = new double[LEVELS - 1][ILP * LANES];
    double s00 = 0;
    double s01 = 0;
    double s02 = 0;
    double s03 = 0;
    double s10 = 0;
    double s11 = 0;
    double s12 = 0;
    double s13 = 0;
    double s20 = 0;
    double s21 = 0;
    double s22 = 0;
    double s23 = 0;
    double s30 = 0;
    double s31 = 0;
    double s32 = 0;
    double s33 = 0;
    int i = 0;
    while (i <= rows) {
      int end = Math.min(rows, i + levelStep);
      boolean full = i + levelStep <= rows;
      for (; i < end; i++) {
        int at = offset + i * ILP * LANES;
        s00 += term(a, b, at);
        s01 += term(a, b, at + 1);
        s02 += term(a, b, at + 2);
        s03 += term(a, b, at + 3);
        s10 += term(a, b, at + 4);
        s11 += term(a, b, at + 5);
        s12 += term(a, b, at + 6);
        s13 += term(a, b, at + 7);
        s20 += term(a, b, at + 8);
        s21 += term(a, b, at + 9);
        s22 += term(a, b, at + 10);
        s23 += term(a, b, at + 11);
        s30 += term(a, b, at + 12);
        s31 += term(a, b, at + 13);
        s32 += term(a, b, at + 14);
        s33 += term(a, b, at + 15);
      }
      if (!full) {
        break;
      }
      // cascade: level 0 into level 1 always, level j-1 into j while the row count is a multiple
      double[] l1 = upper[0];
      double[] level0 = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
      for (int e = 0; e < ILP * LANES; e++) {
        l1[e] += level0[e];
      }
      s00 = s01 = s02 = s03 = s10 = s11 = s12 = s13 = s20 = s21 = s22 = s23 = s30 = s31 = s32 = s33 = 0.0;
      for (int j = 2; j < LEVELS; j++) {
        if ((i & (levelMask << ((j - 1) * levelPower))) != 0) {
          break;
        }
        double[] from = upper[j - 2];
        double[] to = upper[j - 1];
        for (int e = 0; e < ILP * LANES; e++) {
          to[e] += from[e];
          from[e] = 0.0;
        }
      }
    }
    double[] acc = {s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33};
    for (int j = 1; j < LEVELS; j++) {
      double[] level = upper[j - 1];
      for (int e = 0; e < ILP * LANES; e++) {
        acc[e] += level[e];
      }
    }
    // row_sum: the vectors after the last whole row into accumulator 0, then accumulators 1..3 into 0
    for (int v = rows * ILP; v < vectors; v++) {
      int at = offset + v * LANES;
      for (int lane = 0; lane < LANES; lane++) {
        acc[lane] += term(a, b, at + lane);
      }
    }
    for (int k = 1; k < ILP; k++) {
      for (int lane = 0; lane < LANES; lane++) {
        acc[lane] += acc[k * LANES + lane];
      }
    }
    double s = 0.0;
    for (int k = vectors * LANES; k < n; k++) {
      s += term(a, b, offset + k);
    }
    for (int lane = 0; lane < LANES; lane++) {
      s += acc[lane];
    }
    return s;
  }

  private static double term(double[] a, double[] b, int k) {
    if (b == null) {
      return a[k];
    }
    double d = a[k] - b[k];
    return d * d;
  }

  /** ATen's {@code CeilLog2}: 1 for x <= 2, else the bit length of x - 1. */
  private static int ceilLog2(long x) {
    return x <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(x - 1);
  }
}
