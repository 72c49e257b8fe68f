package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/** {@code a + b}; the gradient passes through to both operands. */
public final class Add extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = Broadcast.resultShape("add", in[0], in[1]);
    double[] a = Broadcast.expand(in[0], shape);
    double[] b = Broadcast.expand(in[1], shape);
    double[] out = new double[Shapes.numel(shape)];
    for (int k = 0; k < out.length; k++) {
      out[k] = a[k] + b[k];
    }
    return tensors(Tensor.wrap(out, shape));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    double[] g = grad[0].buffer();
    int[] gs = grad[0].shape();
    return tensors(
        ctx.needsInputGrad(0) ? Broadcast.reduce(g.clone(), gs, ctx.inputShape(0)) : null,
        ctx.needsInputGrad(1) ? Broadcast.reduce(g.clone(), gs, ctx.inputShape(1)) : null);
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<AddBackward0>}. */
  @Override
  public String name() {
    return "AddBackward0";
  }
}
