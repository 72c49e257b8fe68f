package dev.streamgrad.signal;

/**
 * The direct (sum of products) path of {@link Correlation}, in one formulation:
 * {@code out[m][n] = sum_{j,k} g[j][k] X(m + o0 + j, n + o1 + k)}, where {@code g} is the kernel
 * ({@code h} for a correlation, {@code h} rotated by 180 degrees for a convolution) and {@code X}
 * the input extended by the boundary rule. Each output sums its taps in kernel order: interior
 * outputs with fused multiply-adds (one rounding per tap, as PyTorch's and MKL's kernels do),
 * border outputs with a multiply and an add.
 *
 * <p>Where the whole kernel window lies inside the input (all of a {@code valid} output) the loops
 * read the input directly, several outputs at a time in registers ({@link InteriorCorrelation});
 * only the border is computed element by element through the boundary rule. Nothing is allocated
 * but the output (and the rotated kernel of a convolution) unless there is a border or outputs
 * fall outside whole blocks.
 */
final class DirectCorrelation {
  private DirectCorrelation() {}

  /**
   * Layout of every array: row-major; {@code x} is {@code H x W}, {@code h} is {@code kh x kw}. The
   * output goes into {@code into} (every element written) when it is not null, else into a new array.
   */
  static double[] run(double[] x, int rows, int cols, double[] h, int kh, int kw, boolean flip, int o0, int o1,
      int outH, int outW, Boundary boundary, double fillvalue, double[] into) {
    double[] out = into != null ? into : new double[outH * outW];
    // a convolution reads the kernel rotated by 180 degrees: rotate it once (kernels are small next
    // to the work on them) so that every loop below reads it forwards
    double[] g = flip ? rotated(h) : h;
    // interior: outputs whose window needs no boundary value
    int mLo = Math.max(0, -o0);
    int mHi = Math.max(mLo, Math.min(outH, rows - kh + 1 - o0));
    int nLo = Math.max(0, -o1);
    int nHi = Math.max(nLo, Math.min(outW, cols - kw + 1 - o1));
    int width = nHi - nLo;
    if (width > 0 && mHi > mLo) {
      if (width < 8) { // here width < 8 <= kw often (a filter gradient)
        InteriorCorrelation.narrow(x, cols, g, kh, kw, o0, o1, outW, out, mLo, mHi, nLo, width);
      } else {
        InteriorCorrelation.rows(x, cols, g, kh, kw, o0, o1, outW, out, mLo, mHi, nLo, width);
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
          out[m * outW + n] = element(x, cols, g, kh, kw, rowMap, colMap, m, n, fillvalue);
        }
      }
    }
    return out;
  }

  /** {@code h} rotated by 180 degrees (a convolution's kernel read as a correlation's). */
  private static double[] rotated(double[] h) {
    double[] r = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      r[i] = h[h.length - 1 - i];
    }
    return r;
  }

  /** One border output: kernel {@code g} read forwards, input through the boundary maps. */
  private static double element(double[] x, int cols, double[] g, int kh, int kw, int[] rowMap, int[] colMap,
      int m, int n, double fillvalue) {
    double s = 0;
    for (int j = 0; j < kh; j++) {
      int r = rowMap[m + j];
      int kRow = j * kw;
      int inRow = r * cols;
      for (int k = 0; k < kw; k++) {
        int c = colMap[n + k];
        s += g[kRow + k] * (r < 0 || c < 0 ? fillvalue : x[inRow + c]);
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
