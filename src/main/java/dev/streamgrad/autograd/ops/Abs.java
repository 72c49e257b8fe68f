package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/** {@code |x|}; the gradient is {@code g * sign(x)}, with PyTorch's subgradient 0 at 0. */
public final class Abs extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    double[] x = in[0].buffer();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = Math.abs(x[k]);
    }
    ctx.saveForBackward(in[0]);
    return tensors(Tensor.wrap(out, in[0].shape()));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    double[] x = ctx.savedTensors()[0].buffer();
    double[] g = grad[0].buffer();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = g[k] * Math.signum(x[k]);
    }
    return tensors(Tensor.wrap(out, grad[0].shape()));
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<AbsBackward0>}. */
  @Override
  public String name() {
    return "AbsBackward0";
  }
}
