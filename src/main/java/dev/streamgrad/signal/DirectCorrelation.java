package dev.streamgrad.signal;

/**
 * The direct (sum of products) path of {@link Correlation}, in one formulation:
 * {@code out[m][n] = sum_{j,k} g[j][k] X(m + o0 + j, n + o1 + k)}, where {@code g} is the kernel
 * ({@code h} for a correlation, {@code h} rotated by 180 degrees for a convolution, read in place)
 * and {@code X} the input extended by the boundary rule.
 *
 * <p>Where the whole kernel window lies inside the input (all of a {@code valid} output) the loops
 * read the input directly and add one kernel tap times a whole output row at a time, a loop the
 * JIT vectorises; only the border is computed element by element through the boundary rule.
 * Nothing is allocated but the output unless there is a border.
 */
final class DirectCorrelation {
  private DirectCorrelation() {}

  /** Layout of every array: row-major; {@code x} is {@code H x W}, {@code h} is {@code kh x kw}. */
  static double[] run(double[] x, int rows, int cols, double[] h, int kh, int kw, boolean flip, int o0, int o1,
      int outH, int outW, Boundary boundary, double fillvalue) {
    double[] out = new double[outH * outW];
    // interior: outputs whose window needs no boundary value
    int mLo = Math.max(0, -o0);
    int mHi = Math.max(mLo, Math.min(outH, rows - kh + 1 - o0));
    int nLo = Math.max(0, -o1);
    int nHi = Math.max(nLo, Math.min(outW, cols - kw + 1 - o1));
    int width = nHi - nLo;
    if (width > 0 && width < kw) {
      interiorByOutput(x, cols, h, kh, kw, flip, o0, o1, outW, out, mLo, mHi, nLo, nHi);
    } else if (width > 0) {
      for (int m = mLo; m < mHi; m++) {
        int outRow = m * outW + nLo;
        for (int j = 0; j < kh; j++) {
          int inRow = (m + o0 + j) * cols + o1 + nLo;
          int kRow = flip ? (kh - 1 - j) * kw + kw - 1 : j * kw;
          for (int k = 0; k < kw; k++) {
            double w = flip ? h[kRow - k] : h[kRow + k];
            int in = inRow + k;
            for (int n = 0; n < width; n++) {
              out[outRow + n] += w * x[in + n];
            }
          }
        }
      }
    }
    boolean border = mLo > 0 || mHi < outH || nLo > 0 || nHi < outW;
    if (border) {
      int[] rowMap = indexMap(o0, outH + kh - 1, rows, boundary);
      int[] colMap = indexMap(o1, outW + kw - 1, cols, boundary);
      for (int m = 0; m < outH; m++) {
        boolean interiorRow = m >= mLo && m < mHi && width > 0;
        for (int n = 0; n < outW; n++) {
          if (interiorRow && n == nLo) {
            n = nHi - 1;
            continue;
          }
          out[m * outW + n] = element(x, cols, h, kh, kw, flip, rowMap, colMap, m, n, fillvalue);
        }
      }
    }
    return out;
  }

  /**
   * The interior when output rows are narrower than the kernel (the filter gradient: a 26x26
   * "kernel" over a 28x28 input gives 3x3): a row loop of a few elements per tap would be mostly
   * overhead, so four outputs at a time (taken in row-major order across rows) are accumulated in
   * registers, each over the taps in the same order as the row loop, which keeps the results
   * bit-identical to it.
   */
  private static void interiorByOutput(double[] x, int cols, double[] h, int kh, int kw, boolean flip, int o0,
      int o1, int outW, double[] out, int mLo, int mHi, int nLo, int nHi) {
    int width = nHi - nLo;
    int count = (mHi - mLo) * width;
    int p = 0;
    for (; p + 4 <= count; p += 4) {
      int b0 = base(p, width, mLo, nLo, o0, o1, cols);
      int b1 = base(p + 1, width, mLo, nLo, o0, o1, cols);
      int b2 = base(p + 2, width, mLo, nLo, o0, o1, cols);
      int b3 = base(p + 3, width, mLo, nLo, o0, o1, cols);
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int j = 0; j < kh; j++) {
        int row = j * cols;
        int kRow = flip ? (kh - 1 - j) * kw + kw - 1 : j * kw;
        for (int k = 0; k < kw; k++) {
          double w = flip ? h[kRow - k] : h[kRow + k];
          int r = row + k;
          s0 += w * x[b0 + r];
          s1 += w * x[b1 + r];
          s2 += w * x[b2 + r];
          s3 += w * x[b3 + r];
        }
      }
      out[outIndex(p, width, mLo, nLo, outW)] = s0;
      out[outIndex(p + 1, width, mLo, nLo, outW)] = s1;
      out[outIndex(p + 2, width, mLo, nLo, outW)] = s2;
      out[outIndex(p + 3, width, mLo, nLo, outW)] = s3;
    }
    for (; p < count; p++) {
      int b0 = base(p, width, mLo, nLo, o0, o1, cols);
      double s0 = 0;
      for (int j = 0; j < kh; j++) {
        int row = b0 + j * cols;
        int kRow = flip ? (kh - 1 - j) * kw + kw - 1 : j * kw;
        for (int k = 0; k < kw; k++) {
          s0 += (flip ? h[kRow - k] : h[kRow + k]) * x[row + k];
        }
      }
      out[outIndex(p, width, mLo, nLo, outW)] = s0;
    }
  }

  /** Input offset of the window of the {@code p}-th interior output (row-major over the interior). */
  private static int base(int p, int width, int mLo, int nLo, int o0, int o1, int cols) {
    return (mLo + p / width + o0) * cols + o1 + nLo + p % width;
  }

  private static int outIndex(int p, int width, int mLo, int nLo, int outW) {
    return (mLo + p / width) * outW + nLo + p % width;
  }

  private static double element(double[] x, int cols, double[] h, int kh, int kw, boolean flip, int[] rowMap,
      int[] colMap, int m, int n, double fillvalue) {
    double s = 0;
    for (int j = 0; j < kh; j++) {
      int r = rowMap[m + j];
      int kRow = flip ? (kh - 1 - j) * kw + kw - 1 : j * kw;
      int inRow = r * cols;
      for (int k = 0; k < kw; k++) {
        double w = flip ? h[kRow - k] : h[kRow + k];
        int c = colMap[n + k];
        s += w * (r < 0 || c < 0 ? fillvalue : x[inRow + c]);
      }
    }
    return s;
  }

  /**
   * For positions {@code start .. start+count-1} of an axis of length {@code size}: the input index
   * the boundary rule reads, or -1 for the fill value.
   */
  static int[] indexMap(int start, int count, int size, Boundary boundary) {
    int[] map = new int[count];
    for (int t = 0; t < count; t++) {
      map[t] = boundaryIndex(start + t, size, boundary);
    }
    return map;
  }

  /**
   * The input index that position {@code i} of an axis of length {@code size} reads. scipy 1.10
   * reflects or wraps once, and reads outside the array when the kernel is so much larger than the
   * input that once is not enough; here the extension simply continues periodically (wrap) or
   * mirrored (symm), which agrees with scipy wherever scipy reads inside the array.
   */
  static int boundaryIndex(int i, int size, Boundary boundary) {
    if (i >= 0 && i < size) {
      return i;
    }
    switch (boundary) {
      case WRAP:
        return Math.floorMod(i, size);
      case SYMM:
        int p = Math.floorMod(i, 2 * size);
        return p < size ? p : 2 * size - 1 - p;
      default:
        return -1;
    }
  }
}
