package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/**
 * A one-input elementwise op: a subclass states its {@link #value} and its {@link #gradient} side by
 * side. Backward reads either the input or the output, whichever PyTorch's derivative formula saves
 * ({@link #savesOutput}), so an in-place change of the other one is not an error here either.
 */
abstract class Elementwise extends Function {

  /** The op's value at {@code x}. */
  abstract double value(double x);

  /** The input's gradient from the output's gradient {@code g} and the saved input or output {@code v}. */
  abstract double gradient(double g, double v);

  /** Whether {@link #gradient} reads the output (true) or the input (false). */
  abstract boolean savesOutput();

  @Override
  protected final Tensor[] forward(Context ctx, Tensor... in) {
    double[] x = in[0].buffer();
    double[] out = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      out[k] = value(x[k]);
    }
    Tensor y = Tensor.wrap(out, in[0].shape());
    ctx.saveForBackward(savesOutput() ? y : in[0]);
    return tensors(y);
  }

  @Override
  protected final Tensor[] backward(Context ctx, Tensor... grad) {
    double[] v = ctx.savedTensors()[0].buffer();
    double[] g = grad[0].buffer();
    double[] out = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      out[k] = gradient(g[k], v[k]);
    }
    return tensors(Tensor.wrap(out, grad[0].shape()));
  }
}
