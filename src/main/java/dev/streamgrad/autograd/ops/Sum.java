package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Sums;
import dev.streamgrad.autograd.Tensor;

/** Sum of all elements as a 0-D tensor; the gradient spreads {@code g} over every element. */
public final class Sum extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    return tensors(Tensor.scalar(Sums.sum(in[0].buffer())));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    return tensors(Tensor.full(grad[0].item(), ctx.inputShape(0)));
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<SumBackward0>}. */
  @Override
  public String name() {
    return "SumBackward0";
  }
}
