package org.example.residual;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2dFunction;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.Parameter;

/**
 * {@code scale * tanh(correlate2d(x, weight) + bias) + skip * crop(x)}: the tutorial's learnable
 * cross-correlation, squashed by a learnable scaled tanh, plus a learnable share of the input
 * cropped to the output's window (the centre of each correlation window).
 *
 * <p>Parameters, in this order (the state dict's names, as in the PyTorch version): {@code weight
 * [kh, kw]}, {@code bias [1, 1]}, {@code scale [1]}, {@code skip [1]}. Input {@code [H, W]}, at
 * least the kernel's size; output {@code [H - kh + 1, W - kw + 1]}.
 */
public final class ResidualTanh extends Module {
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter scale;
  private final Parameter skip;

  public ResidualTanh(Tensor weight, Tensor bias, Tensor scale, Tensor skip) {
    if (weight.dim() != 2) {
      throw new IllegalArgumentException("residual-tanh weight must be 2-D, got " + java.util.Arrays.toString(
          weight.shape()));
    }
    this.weight = registerParameter("weight", new Parameter(weight));
    this.bias = registerParameter("bias", new Parameter(bias.reshape(1, 1)));
    this.scale = registerParameter("scale", new Parameter(scale.reshape(1)));
    this.skip = registerParameter("skip", new Parameter(skip.reshape(1)));
  }

  @Override
  public Tensor forward(Tensor x) {
    int[] out = outputShape(x.shape());
    Tensor conv = new Conv2dFunction().apply(x, weight, bias);
    Tensor crop = x.narrow(0, weight.size(0) / 2, out[0]).narrow(1, weight.size(1) / 2, out[1]);
    return new ScaledTanhFunction().apply(conv, scale).add(crop.mul(skip));
  }

  /** The layer checks its own input: 2-D and at least the kernel's size. */
  @Override
  public int[] outputShape(int... in) {
    if (in.length != 2) {
      throw new IllegalArgumentException("residual-tanh input: expected a 2-D tensor but got shape "
          + java.util.Arrays.toString(in));
    }
    if (in[0] < weight.size(0) || in[1] < weight.size(1)) {
      throw new IllegalArgumentException("residual-tanh input of shape " + java.util.Arrays.toString(in)
          + " is smaller than the kernel of shape " + java.util.Arrays.toString(weight.shape()));
    }
    return new int[] {in[0] - weight.size(0) + 1, in[1] - weight.size(1) + 1};
  }
}
