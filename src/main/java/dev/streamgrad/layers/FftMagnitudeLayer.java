package dev.streamgrad.layers;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.nn.Module;

/** {@code layer: {type: fft-magnitude}}: |rfft2(x)| with its correct gradient ({@link FftMagnitude}); no parameters, no other keys. */
public final class FftMagnitudeLayer implements LayerType, LayerSpec {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "fft-magnitude";
  }

  @Override
  public String type() {
    return name();
  }

  @Override
  public LayerSpec read(Section s, LayerRegistry registry) throws SpecException {
    s.allow("type");
    return this;
  }

  @Override
  public Module create() {
    return new FftMagnitude();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FftMagnitudeLayer;
  }

  @Override
  public int hashCode() {
    return name().hashCode();
  }

  @Override
  public String toString() {
    return name();
  }
}
