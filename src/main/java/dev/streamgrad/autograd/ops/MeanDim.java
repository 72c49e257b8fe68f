package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/**
 * {@code x.mean(dims, keepdim)}: the sums of {@link SumDim} divided by the number of elements each
 * one summed, as PyTorch's CPU mean does; NaN over an empty dimension. The gradient is the output's
 * gradient divided by that number, broadcast back over the reduced dimensions.
 */
public final class MeanDim extends Function {
  private final int[] dims;
  private final boolean keepdim;

  public MeanDim(boolean keepdim, int... dims) {
    this.dims = dims.clone();
    this.keepdim = keepdim;
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = in[0].shape();
    boolean[] reduced = Reductions.reducedDims("mean", shape, dims);
    double[] out = Reductions.sum(in[0].buffer(), shape, reduced);
    int n = Reductions.reducedCount(shape, reduced);
    for (int k = 0; k < out.length; k++) {
      out[k] /= n;
    }
    return tensors(Tensor.wrap(out, Reductions.reducedShape(shape, reduced, keepdim)));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    int[] shape = ctx.inputShape(0);
    boolean[] reduced = Reductions.reducedDims("mean", shape, dims);
    int n = Reductions.reducedCount(shape, reduced);
    double[] g = Broadcast.expand(grad[0].view(Reductions.reducedShape(shape, reduced, true)), shape).clone();
    for (int k = 0; k < g.length; k++) {
      g[k] /= n;
    }
    return tensors(Tensor.wrap(g, shape));
  }

  /** PyTorch's node name for a mean over dimensions, as printed in {@code grad_fn=<MeanBackward1>}. */
  @Override
  public String name() {
    return "MeanBackward1";
  }
}
