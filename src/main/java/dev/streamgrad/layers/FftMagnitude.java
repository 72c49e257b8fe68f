package dev.streamgrad.layers;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;

/** A parameter-less layer computing {@code |rfft2(x)|} with the correct gradient ({@link FftMagnitudeFunction}). */
public final class FftMagnitude extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return new FftMagnitudeFunction().apply(input);
  }

  /** {@code [H, W]} to {@code [H, W / 2 + 1]}, as {@code rfft2}. */
  @Override
  public int[] outputShape(int... inputShape) {
    Shapes.requireDims("FftMagnitude input", 2, inputShape);
    return new int[] {inputShape[0], inputShape[1] / 2 + 1};
  }
}
