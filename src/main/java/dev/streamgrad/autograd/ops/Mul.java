package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/** {@code a * b} elementwise; the gradients are {@code g * b} and {@code g * a}. */
public final class Mul extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = Broadcast.resultShape("mul", in[0], in[1]);
    double[] a = Broadcast.expand(in[0], shape);
    double[] b = Broadcast.expand(in[1], shape);
    double[] out = new double[Shapes.numel(shape)];
    for (int k = 0; k < out.length; k++) {
      out[k] = a[k] * b[k];
    }
    ctx.saveForBackward(in[0], in[1]);
    return tensors(Tensor.wrap(out, shape));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    Tensor[] saved = ctx.savedTensors();
    double[] g = grad[0].buffer();
    int[] gs = grad[0].shape();
    double[] a = Broadcast.expand(saved[0], gs);
    double[] b = Broadcast.expand(saved[1], gs);
    return tensors(
        ctx.needsInputGrad(0) ? Broadcast.reduce(times(g, b), gs, ctx.inputShape(0)) : null,
        ctx.needsInputGrad(1) ? Broadcast.reduce(times(g, a), gs, ctx.inputShape(1)) : null);
  }

  private static double[] times(double[] g, double[] other) {
    double[] out = new double[g.length];
    for (int k = 0; k < g.length; k++) {
      out[k] = g[k] * other[k];
    }
    return out;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<MulBackward0>}. */
  @Override
  public String name() {
    return "MulBackward0";
  }
}
