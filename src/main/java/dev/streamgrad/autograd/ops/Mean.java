package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Sums;
import dev.streamgrad.autograd.Tensor;

/** Mean of all elements as a 0-D tensor; the gradient is {@code g / n} on every element. */
public final class Mean extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    // PyTorch's mean on CPU is sum(x).div_(n)
    double[] x = in[0].buffer();
    return tensors(Tensor.scalar(Sums.sum(x) / x.length));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    int[] shape = ctx.inputShape(0);
    return tensors(Tensor.full(grad[0].item() / Shapes.numel(shape), shape));
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<MeanBackward0>}. */
  @Override
  public String name() {
    return "MeanBackward0";
  }
}
