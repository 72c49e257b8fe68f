package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/** {@code x^p} for a constant exponent; the gradient is {@code g * p * x^(p-1)} (zero when p is 0). */
public final class Pow extends Function {
  private final double exponent;

  public Pow(double exponent) {
    this.exponent = exponent;
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    double[] x = in[0].buffer();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = exponent == 2.0 ? x[k] * x[k] : Math.pow(x[k], exponent);
    }
    ctx.saveForBackward(in[0]);
    return tensors(Tensor.wrap(out, in[0].shape()));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    double[] x = ctx.savedTensors()[0].buffer();
    double[] g = grad[0].buffer();
    double[] out = new double[x.length];
    if (exponent != 0.0) {
      for (int k = 0; k < x.length; k++) {
        double d = exponent == 2.0 ? 2.0 * x[k] : exponent * Math.pow(x[k], exponent - 1.0);
        out[k] = g[k] * d;
      }
    }
    return tensors(Tensor.wrap(out, grad[0].shape()));
  }
}
