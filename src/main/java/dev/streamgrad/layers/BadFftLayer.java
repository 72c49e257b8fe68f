package dev.streamgrad.layers;

import dev.streamgrad.nn.Module;

/** {@code layer: {type: bad-fft}}: the tutorial's BadFFTFunction: forward |rfft2(x)|, backward irfft2(grad), wrong on purpose ({@link BadFft}); no parameters, no other keys. */
public final class BadFftLayer extends ParameterlessLayer {
  private static final long serialVersionUID = 1L;

  public BadFftLayer() {
    super("bad-fft");
  }

  @Override
  public Module create() {
    return new BadFft();
  }
}
