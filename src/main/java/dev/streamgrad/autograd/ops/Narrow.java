package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/**
 * {@code x.narrow(dim, start, length)}: elements {@code start .. start + length - 1} of dimension
 * {@code dim} (negative {@code dim} and {@code start} count from the end), a copy here where PyTorch
 * returns a view. The gradient is the output's gradient placed back among zeros.
 */
public final class Narrow extends Function {
  private final int dim;
  private final int start;
  private final int length;

  public Narrow(int dim, int start, int length) {
    this.dim = dim;
    this.start = start;
    this.length = length;
  }

  /** The amounts cut before and after the kept range, for each dimension of {@code shape}. */
  private int[][] cuts(int[] shape) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor");
    }
    if (dim < -shape.length || dim >= shape.length) {
      throw new IndexOutOfBoundsException("narrow: dimension " + dim + " is out of range for shape "
          + Shapes.format(shape) + " (expected to be in range of [" + -shape.length + ", " + (shape.length - 1) + "])");
    }
    int d = dim < 0 ? dim + shape.length : dim;
    int size = shape[d];
    int s = start < 0 && start >= -size ? start + size : start;
    if (length < 0 || s < 0 || s > size - length) {
      throw new IndexOutOfBoundsException("narrow: start " + start + " and length " + length
          + " do not fit dimension " + d + " of size " + size + " (shape " + Shapes.format(shape) + ")");
    }
    int[] before = new int[shape.length];
    int[] after = new int[shape.length];
    before[d] = s;
    after[d] = size - s - length;
    return new int[][] {before, after};
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = in[0].shape();
    int[][] cut = cuts(shape);
    int[] before = negate(cut[0]);
    int[] after = negate(cut[1]);
    double[] out = ConstantPad.pad(in[0].buffer(), shape, before, after, 0.0);
    return tensors(Tensor.wrap(out, ConstantPad.paddedShape(shape, before, after)));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    int[] inShape = ctx.inputShape(0);
    int[][] cut = cuts(inShape);
    return tensors(Tensor.wrap(ConstantPad.pad(grad[0].buffer(), grad[0].shape(), cut[0], cut[1], 0.0), inShape));
  }

  private static int[] negate(int[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  /** PyTorch's node name for narrow and slicing, as printed in {@code grad_fn=<SliceBackward0>}. */
  @Override
  public String name() {
    return "SliceBackward0";
  }
}
