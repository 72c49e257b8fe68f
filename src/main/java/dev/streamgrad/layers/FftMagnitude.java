package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;

/** A parameter-less layer computing {@code |rfft2(x)|} with the correct gradient ({@link FftMagnitudeFunction}). */
public final class FftMagnitude extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return new FftMagnitudeFunction().apply(input);
  }
}
