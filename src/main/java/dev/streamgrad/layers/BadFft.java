package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;

/** The tutorial's parameter-less {@code BadFFTLayer}: applies {@link BadFftFunction}. */
public final class BadFft extends Module {
  @Override
  public Tensor forward(Tensor input) {
    return new BadFftFunction().apply(input);
  }
}
