package dev.streamgrad.layers;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;

/**
 * A kind of layer that job specs can name in {@code layer.type}, the extension point for layers
 * written outside streamgrad. An implementation has a public no-argument constructor and is listed
 * in its jar's {@code META-INF/services/dev.streamgrad.layers.LayerType}; {@link LayerRegistry}
 * finds it with {@link java.util.ServiceLoader}. The built-in layers register the same way.
 */
public interface LayerType {
  /** The name job specs use, e.g. {@code conv2d}: lowercase letters, digits and dashes. */
  String name();

  /**
   * Reads and checks this layer's keys of the spec's {@code layer} mapping (the key {@code type}
   * included: call {@code section.allow("type", ...)}), failing with {@code section.error(key,
   * problem)}, which the command line prints with the file and key path and exits 2 on.
   *
   * @param registry the registry, for layers made of other layers
   */
  LayerSpec read(Section section, LayerRegistry registry) throws SpecException;
}
