package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/** {@code -x}; the gradient is {@code -g}. */
public final class Neg extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    return tensors(negate(in[0]));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    return tensors(negate(grad[0]));
  }

  private static Tensor negate(Tensor t) {
    double[] x = t.buffer();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = -x[k];
    }
    return Tensor.wrap(out, t.shape());
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<NegBackward0>}. */
  @Override
  public String name() {
    return "NegBackward0";
  }
}
