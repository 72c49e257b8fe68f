package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/**
 * {@code x^p} for a constant exponent; the gradient is {@code g * (p * x^(p-1))} (zero when p is 0),
 * PyTorch's {@code pow_backward}. Exponents 2, 3, -2, 0.5, -0.5, -1 (and 1, 0) are computed as
 * PyTorch's optimized kernel does ({@code x*x}, {@code sqrt}, {@code 1/x}, ...), so values match
 * its bit for bit; other exponents use {@link Math#pow}.
 */
public final class Pow extends Function {
  private final double exponent;

  public Pow(double exponent) {
    this.exponent = exponent;
  }

  /** {@code x^e} as PyTorch's {@code pow_tensor_scalar_optimized_kernel} computes it. */
  static double pow(double x, double e) {
    if (e == 2.0) {
      return x * x;
    } else if (e == 3.0) {
      return x * x * x;
    } else if (e == -2.0) {
      return 1.0 / (x * x);
    } else if (e == 0.5) {
      return Math.sqrt(x);
    } else if (e == -0.5) {
      return 1.0 / Math.sqrt(x);
    } else if (e == -1.0) {
      return 1.0 / x;
    } else if (e == 1.0) {
      return x;
    } else if (e == 0.0) {
      return 1.0;
    }
    return Math.pow(x, e);
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    double[] x = in[0].buffer();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = pow(x[k], exponent);
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
        out[k] = g[k] * (exponent * pow(x[k], exponent - 1.0));
      }
    }
    return tensors(Tensor.wrap(out, grad[0].shape()));
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<PowBackward0>}. */
  @Override
  public String name() {
    return "PowBackward0";
  }
}
