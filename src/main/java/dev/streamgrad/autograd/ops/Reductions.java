package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Sums;
import java.util.Arrays;

/**
 * Sums over a set of dimensions in the order of PyTorch's CPU sum kernel (ATen {@code
 * SumKernel.cpp}), so that reductions and the gradients of broadcast operands agree with PyTorch's
 * bit for bit; checked against {@code torch.sum(dims)} on the fixtures. Stateless; inputs are not
 * modified.
 */
final class Reductions {
  private static final int LEVELS = 4;

  private Reductions() {}

  /**
   * Which dimensions of {@code shape} {@code dims} names (negative ones count from the end; an empty
   * list names all, as in PyTorch); a dimension out of range or named twice is an error.
   */
  static boolean[] reducedDims(String op, int[] shape, int[] dims) {
    boolean[] reduced = new boolean[shape.length];
    if (dims.length == 0) {
      Arrays.fill(reduced, true);
      return reduced;
    }
    int range = Math.max(shape.length, 1);
    for (int dim : dims) {
      if (dim < -range || dim >= range) {
        throw new IndexOutOfBoundsException(op + ": dimension " + dim + " is out of range for shape "
            + Shapes.format(shape) + " (expected to be in range of [" + -range + ", " + (range - 1) + "])");
      }
      int d = dim < 0 ? dim + range : dim;
      if (shape.length == 0) {
        continue; // a 0-D tensor takes dim 0 or -1 and stays as it is
      }
      if (reduced[d]) {
        throw new IllegalArgumentException(op + ": dim " + d + " appears multiple times in the list of dims");
      }
      reduced[d] = true;
    }
    return reduced;
  }

  /** The reduced shape: reduced dimensions become 1 with {@code keepdim}, else disappear. */
  static int[] reducedShape(int[] shape, boolean[] reduced, boolean keepdim) {
    int count = 0;
    for (int d = 0; d < shape.length; d++) {
      count += keepdim || !reduced[d] ? 1 : 0;
    }
    int[] out = new int[count];
    for (int d = 0, i = 0; d < shape.length; d++) {
      if (keepdim || !reduced[d]) {
        out[i++] = reduced[d] ? 1 : shape[d];
      }
    }
    return out;
  }

  /** How many elements each output sums. */
  static int reducedCount(int[] shape, boolean[] reduced) {
    int n = 1;
    for (int d = 0; d < shape.length; d++) {
      n *= reduced[d] ? shape[d] : 1;
    }
    return n;
  }

  /**
   * Sums of {@code x} (row-major, of {@code shape}) over the dimensions where {@code reduced} is
   * true: a new row-major array of the shape with those dimensions set to 1 (keepdim).
   *
   * <p>The order is ATen's: its TensorIterator drops size-1 dimensions, puts the reduced dimensions
   * first and each group by increasing stride, merges neighbours that are contiguous, and runs
   * {@code cascade_sum} on the first two dimensions (see {@link #columnSum}); the remaining ones are
   * loops whose results are added to the output in turn.
   */
  static double[] sum(double[] x, int[] shape, boolean[] reduced) {
    int dims = shape.length;
    int[] inStride = new int[dims];
    int[] outStride = new int[dims];
    int outCount = 1;
    for (int d = dims - 1, s = 1; d >= 0; d--) {
      inStride[d] = s;
      s *= shape[d];
      outStride[d] = reduced[d] ? 0 : outCount;
      outCount *= reduced[d] ? 1 : shape[d];
    }
    if (outCount == x.length) {
      return x.clone(); // only size-1 dimensions are reduced
    }
    double[] out = new double[outCount];
    if (x.length == 0) {
      return out;
    }
    // iterator dimensions: reduced ones innermost, each group from the smallest stride (last dimension) up
    int[][] it = new int[dims][];
    int n = 0;
    for (boolean group : new boolean[] {true, false}) {
      for (int d = dims - 1; d >= 0; d--) {
        if (shape[d] == 1 || reduced[d] != group) {
          continue;
        }
        int[] last = n == 0 ? null : it[n - 1];
        if (last != null && last[3] == (group ? 1 : 0) && last[1] * last[0] == inStride[d]
            && last[2] * last[0] == outStride[d]) {
          last[0] *= shape[d]; // contiguous with the previous dimension: merged
        } else {
          it[n++] = new int[] {shape[d], inStride[d], outStride[d], group ? 1 : 0};
        }
      }
    }
    int[] d0 = n > 0 ? it[0] : new int[] {1, 0, 0, 0};
    int[] d1 = n > 1 ? it[1] : new int[] {1, 0, 0, 0};
    int[] index = new int[Math.max(0, n - 2)];
    while (true) {
      int inBase = 0;
      int outBase = 0;
      for (int i = 0; i < index.length; i++) {
        inBase += index[i] * it[i + 2][1];
        outBase += index[i] * it[i + 2][2];
      }
      for (int j = 0; j < d1[0]; j++) {
        out[outBase + j * d1[2]] += columnSum(x, inBase + j * d1[1], d0[0], d0[1], j, d1[0], d1[1]);
      }
      int i = 0;
      while (i < index.length && ++index[i] == it[i + 2][0]) {
        index[i++] = 0;
      }
      if (i == index.length) {
        return out;
      }
    }
  }

  /**
   * Column {@code j} of ATen's {@code cascade_sum} on a 2-D block: {@code size0} values {@code
   * stride0} apart from {@code base}, the block having {@code size1} columns {@code stride1} apart.
   * A contiguous column of at least 4 is a vectorized inner sum ({@link Sums}); with contiguous
   * columns (at least 4) the first multiple of 16 columns take {@code multi_row_sum}, the others
   * {@code row_sum}; with neither, an inner sum is a {@code row_sum} and an outer one takes {@code
   * multi_row_sum} for the first multiple of 4 columns.
   */
  private static double columnSum(double[] x, int base, int size0, int stride0, int j, int size1, int stride1) {
    if (stride0 == 1 && size0 >= 4) {
      return Sums.sum(x, base, size0);
    }
    boolean multiRow;
    if (stride1 == 1 && size1 >= 4) {
      multiRow = j < size1 / 16 * 16;
    } else if (stride0 < stride1) {
      multiRow = false;
    } else {
      multiRow = j < size1 / 4 * 4;
    }
    return multiRow ? multiRowSum(x, base, stride0, 0, size0, 1)[0] : rowSum(x, base, stride0, size0);
  }

  /**
   * ATen's {@code row_sum}: the values read as rows of 4 ({@code multi_row_sum} of 4 columns), the
   * values after the last whole row added to column 0, then columns 1..3 added to column 0.
   */
  private static double rowSum(double[] x, int base, int stride, int size) {
    int rows = size / 4;
    double[] partial = multiRowSum(x, base, 4 * stride, stride, rows, 4);
    for (int i = rows * 4; i < size; i++) {
      partial[0] += x[base + i * stride];
    }
    return partial[0] + partial[1] + partial[2] + partial[3];
  }

  /**
   * ATen's {@code multi_row_sum} of {@code columns} columns ({@code colStride} apart) over {@code
   * rows} rows ({@code rowStride} apart): level 0 takes {@code 2^p} rows at a time ({@code p =
   * max(4, ceilLog2(rows) / 4)}), flushed into level 1, level j into j + 1 while the row count is a
   * multiple of {@code 2^(p j)}; the remaining rows go into level 0, then levels 1..3 are added to it.
   */
  private static double[] multiRowSum(double[] x, int base, int rowStride, int colStride, int rows, int columns) {
    int levelPower = Math.max(4, (rows <= 2 ? 1 : 64 - Long.numberOfLeadingZeros(rows - 1L)) / LEVELS);
    int levelStep = 1 << levelPower;
    long levelMask = levelStep - 1;
    double[][] acc = new double[LEVELS][columns];
    int i = 0;
    while (i + levelStep <= rows) {
      for (int r = 0; r < levelStep; r++, i++) {
        addRow(x, base + i * rowStride, colStride, acc[0]);
      }
      for (int j = 1; j < LEVELS; j++) {
        for (int k = 0; k < columns; k++) {
          acc[j][k] += acc[j - 1][k];
          acc[j - 1][k] = 0.0;
        }
        if ((i & (levelMask << (j * levelPower))) != 0) {
          break;
        }
      }
    }
    for (; i < rows; i++) {
      addRow(x, base + i * rowStride, colStride, acc[0]);
    }
    for (int j = 1; j < LEVELS; j++) {
      for (int k = 0; k < columns; k++) {
        acc[0][k] += acc[j][k];
      }
    }
    return acc[0];
  }

  private static void addRow(double[] x, int at, int colStride, double[] acc) {
    for (int k = 0; k < acc.length; k++) {
      acc[k] += x[at + k * colStride];
    }
  }
}
