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
    if (n < LANES) {
      double s = 0.0;
      for (int i = 0; i < n; i++) {
        s += x[offset + i];
      }
      return s;
    }
    int vectors = n / LANES;
    double[] lanes = vectorRowSum(x, offset, vectors);
    double s = 0.0;
    for (int k = vectors * LANES; k < n; k++) {
      s += x[offset + k];
    }
    for (int lane = 0; lane < LANES; lane++) {
      s += lanes[lane];
    }
    return s;
  }

  /** {@code row_sum} over {@code vectors} 4-lane vectors starting at {@code offset}. */
  private static double[] vectorRowSum(double[] x, int offset, int vectors) {
    int rows = vectors / ILP;
    double[][] partial = multiRowSum(x, offset, rows);
    for (int v = rows * ILP; v < vectors; v++) {
      addVector(partial[0], x, offset + v * LANES);
    }
    for (int k = 1; k < ILP; k++) {
      for (int lane = 0; lane < LANES; lane++) {
        partial[0][lane] += partial[k][lane];
      }
    }
    return partial[0];
  }

  /** {@code multi_row_sum}: row i holds vectors {@code 4i .. 4i+3}; returns one vector per column. */
  private static double[][] multiRowSum(double[] x, int offset, int rows) {
    int levelPower = Math.max(4, ceilLog2(rows) / LEVELS);
    int levelStep = 1 << levelPower;
    long levelMask = levelStep - 1;
    double[][][] acc = new double[LEVELS][ILP][LANES];
    int i = 0;
    while (i + levelStep <= rows) {
      for (int j = 0; j < levelStep; j++, i++) {
        for (int k = 0; k < ILP; k++) {
          addVector(acc[0][k], x, offset + (i * ILP + k) * LANES);
        }
      }
      for (int j = 1; j < LEVELS; j++) {
        for (int k = 0; k < ILP; k++) {
          for (int lane = 0; lane < LANES; lane++) {
            acc[j][k][lane] += acc[j - 1][k][lane];
            acc[j - 1][k][lane] = 0.0;
          }
        }
        if ((i & (levelMask << (j * levelPower))) != 0) {
          break;
        }
      }
    }
    for (; i < rows; i++) {
      for (int k = 0; k < ILP; k++) {
        addVector(acc[0][k], x, offset + (i * ILP + k) * LANES);
      }
    }
    for (int j = 1; j < LEVELS; j++) {
      for (int k = 0; k < ILP; k++) {
        for (int lane = 0; lane < LANES; lane++) {
          acc[0][k][lane] += acc[j][k][lane];
        }
      }
    }
    return acc[0];
  }

  private static void addVector(double[] acc, double[] x, int at) {
    for (int lane = 0; lane < LANES; lane++) {
      acc[lane] += x[at + lane];
    }
  }

  /** ATen's {@code CeilLog2}: 1 for x <= 2, else the bit length of x - 1. */
  private static int ceilLog2(long x) {
    return x <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(x - 1);
  }
}
