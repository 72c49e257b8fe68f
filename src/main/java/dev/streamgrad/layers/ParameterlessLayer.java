package dev.streamgrad.layers;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;

/**
 * A layer type without parameters or keys: its spec is itself (nothing to configure), and
 * {@link #create()} makes its module.
 */
abstract class ParameterlessLayer implements LayerType, LayerSpec {
  private static final long serialVersionUID = 1L;
  private final String name;

  ParameterlessLayer(String name) {
    this.name = name;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String type() {
    return name;
  }

  @Override
  public final LayerSpec read(Section s, LayerRegistry registry) throws SpecException {
    s.allow("type");
    return this;
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return name.hashCode();
  }

  @Override
  public final String toString() {
    return name;
  }
}
