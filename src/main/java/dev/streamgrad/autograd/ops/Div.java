package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/** {@code a / b} elementwise; the gradients are {@code g / b} and {@code -g * (a / b) / b}. */
public final class Div extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = Broadcast.resultShape("div", in[0], in[1]);
    double[] a = Broadcast.expand(in[0], shape);
    double[] b = Broadcast.expand(in[1], shape);
    double[] out = new double[Shapes.numel(shape)];
    for (int k = 0; k < out.length; k++) {
      out[k] = a[k] / b[k];
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
    Tensor ga = null;
    Tensor gb = null;
    if (ctx.needsInputGrad(0)) {
      double[] out = new double[g.length];
      for (int k = 0; k < g.length; k++) {
        out[k] = g[k] / b[k];
      }
      ga = Broadcast.reduce(out, gs, ctx.inputShape(0));
    }
    if (ctx.needsInputGrad(1)) {
      double[] out = new double[g.length];
      for (int k = 0; k < g.length; k++) {
        double bk = b[k];
        // PyTorch's div_tensor_other_backward: -grad * ((self / other) / other), same rounding
        out[k] = -g[k] * ((a[k] / bk) / bk);
      }
      gb = Broadcast.reduce(out, gs, ctx.inputShape(1));
    }
    return tensors(ga, gb);
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<DivBackward0>}. */
  @Override
  public String name() {
    return "DivBackward0";
  }
}
