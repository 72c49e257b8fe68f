package dev.streamgrad.layers;

import dev.streamgrad.nn.Module;

/** {@code layer: {type: fft-magnitude}}: |rfft2(x)| with its correct gradient ({@link FftMagnitude}); no parameters, no other keys. */
public final class FftMagnitudeLayer extends ParameterlessLayer {
  private static final long serialVersionUID = 1L;

  public FftMagnitudeLayer() {
    super("fft-magnitude");
  }

  @Override
  public Module create() {
    return new FftMagnitude();
  }
}
