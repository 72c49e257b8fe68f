package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/**
 * {@code x.sum(dims, keepdim)}: sums over the named dimensions (see {@link Reductions} for the
 * order); with {@code keepdim} they stay as size 1, else they are removed. The gradient is the
 * output's gradient broadcast back over the summed dimensions.
 */
public final class SumDim extends Function {
  private final int[] dims;
  private final boolean keepdim;

  public SumDim(boolean keepdim, int... dims) {
    this.dims = dims.clone();
    this.keepdim = keepdim;
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = in[0].shape();
    boolean[] reduced = Reductions.reducedDims("sum", shape, dims);
    double[] out = Reductions.sum(in[0].buffer(), shape, reduced);
    return tensors(Tensor.wrap(out, Reductions.reducedShape(shape, reduced, keepdim)));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    int[] shape = ctx.inputShape(0);
    boolean[] reduced = Reductions.reducedDims("sum", shape, dims);
    Tensor g = grad[0].view(Reductions.reducedShape(shape, reduced, true));
    return tensors(Tensor.wrap(Broadcast.expand(g, shape).clone(), shape));
  }

  /** PyTorch's node name for a sum over dimensions, as printed in {@code grad_fn=<SumBackward1>}. */
  @Override
  public String name() {
    return "SumBackward1";
  }
}
