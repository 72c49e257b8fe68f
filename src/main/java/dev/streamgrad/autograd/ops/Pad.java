package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Constant padding of the last dimensions, {@code torch.nn.functional.pad(x, pad, value=value)}:
 * {@code pad} lists (before, after) pairs from the last dimension backwards, {@code (left, right,
 * top, bottom, ...)}; negative amounts crop. The gradient is the output's gradient cropped back
 * (padding by the negated amounts).
 */
public final class Pad extends Function {
  private final int[] pad;
  private final double value;

  public Pad(double value, int... pad) {
    if (pad.length % 2 != 0) {
      throw new IllegalArgumentException("pad: length of pad must be even but instead it equals " + pad.length);
    }
    this.pad = pad.clone();
    this.value = value;
  }

  /** Per-dimension amounts for an input of {@code dims} dimensions, negated when {@code sign} is -1. */
  private int[][] amounts(int[] shape, int sign) {
    int dims = shape.length;
    if (pad.length / 2 > dims) {
      throw new IllegalArgumentException("pad: pad " + Arrays.toString(pad) + " has " + pad.length
          + " values, at most twice the number of dimensions of the input, shape " + Shapes.format(shape));
    }
    int[] before = new int[dims];
    int[] after = new int[dims];
    for (int i = 0; i < pad.length / 2; i++) {
      int d = dims - 1 - i;
      before[d] = sign * pad[2 * i];
      after[d] = sign * pad[2 * i + 1];
      if (sign > 0 && shape[d] + before[d] + after[d] <= 0) {
        throw new IllegalArgumentException("pad: the input size " + shape[d] + ", plus negative padding "
            + before[d] + " and " + after[d] + " resulted in a non-positive output size in dimension " + d
            + " of shape " + Shapes.format(shape));
      }
    }
    return new int[][] {before, after};
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = in[0].shape();
    int[][] ba = amounts(shape, 1);
    double[] out = ConstantPad.pad(in[0].buffer(), shape, ba[0], ba[1], value);
    return tensors(Tensor.wrap(out, ConstantPad.paddedShape(shape, ba[0], ba[1])));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    int[] gs = grad[0].shape();
    int[][] ba = amounts(gs, -1);
    return tensors(Tensor.wrap(ConstantPad.pad(grad[0].buffer(), gs, ba[0], ba[1], 0.0), ctx.inputShape(0)));
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<ConstantPadNdBackward0>}. */
  @Override
  public String name() {
    return "ConstantPadNdBackward0";
  }
}
