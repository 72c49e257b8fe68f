package org.example.residual;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;

/**
 * {@code scale * tanh(x)} with a learnable one-element {@code scale}, written as a user writes a
 * {@code torch.autograd.Function}: forward computes with plain arrays and saves what backward needs;
 * backward returns one gradient per input, or null for an input that needs none.
 *
 * <p>Inputs: {@code x} of any shape, {@code scale} of shape {@code [1]}. Gradients: {@code g * scale
 * * (1 - tanh(x)^2)} for x and {@code sum(g * tanh(x))} for scale.
 */
public final class ScaledTanhFunction extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    Tensor x = in[0];
    Tensor scale = in[1];
    if (scale.numel() != 1) {
      throw new IllegalArgumentException("scaled tanh: scale must have one element, got "
          + scale.numel() + " (input shape of x " + java.util.Arrays.toString(x.shape()) + ")");
    }
    double s = scale.buffer()[0];
    double[] xs = x.buffer();
    double[] t = new double[xs.length];
    double[] y = new double[xs.length];
    for (int k = 0; k < xs.length; k++) {
      t[k] = Math.tanh(xs[k]);
      y[k] = s * t[k];
    }
    ctx.saveForBackward(Tensor.wrap(t, x.shape()), scale);
    return tensors(Tensor.wrap(y, x.shape()));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    Tensor[] saved = ctx.savedTensors();
    double[] t = saved[0].buffer();
    double s = saved[1].buffer()[0];
    double[] g = grad[0].buffer();
    Tensor gradX = null;
    if (ctx.needsInputGrad(0)) {
      double[] gx = new double[t.length];
      for (int k = 0; k < t.length; k++) {
        gx[k] = g[k] * s * (1 - t[k] * t[k]);
      }
      gradX = Tensor.wrap(gx, saved[0].shape());
    }
    Tensor gradScale = null;
    if (ctx.needsInputGrad(1)) {
      double sum = 0;
      for (int k = 0; k < t.length; k++) {
        sum += g[k] * t[k];
      }
      gradScale = Tensor.full(sum, saved[1].shape());
    }
    return tensors(gradX, gradScale);
  }
}
