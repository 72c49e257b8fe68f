package dev.streamgrad.layers;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.nn.Module;

/** {@code layer: {type: bad-fft}}: the tutorial's BadFFTFunction: forward |rfft2(x)|, backward irfft2(grad), wrong on purpose ({@link BadFft}); no parameters, no other keys. */
public final class BadFftLayer implements LayerType, LayerSpec {
  private static final long serialVersionUID = 1L;

  @Override
  public String name() {
    return "bad-fft";
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
    return new BadFft();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BadFftLayer;
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
