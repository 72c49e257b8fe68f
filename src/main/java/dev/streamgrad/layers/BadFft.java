package dev.streamgrad.layers;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;

/** The tutorial's parameter-less {@code BadFFTLayer}: applies {@link BadFftFunction}. */
public final class BadFft extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return new BadFftFunction().apply(input);
  }

  /** {@code [H, W]} to {@code [H, W / 2 + 1]}, as {@code rfft2}. */
  @Override
  public int[] outputShape(int... inputShape) {
    Shapes.requireDims("BadFft input", 2, inputShape);
    return new int[] {inputShape[0], inputShape[1] / 2 + 1};
  }
}
