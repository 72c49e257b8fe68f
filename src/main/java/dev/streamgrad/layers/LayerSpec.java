package dev.streamgrad.layers;

import dev.streamgrad.nn.Module;
import java.io.Serializable;

/**
 * A layer as a job spec configured it: immutable, and serializable because Flink ships it inside
 * the operators that build the module on every subtask.
 */
public interface LayerSpec extends Serializable {
  /** The {@link LayerType#name()} this spec was read for. */
  String type();

  /**
   * A new module with the configured initial parameters (the same values on every call, so that
   * every subtask and every model starts alike). The module checks its own input and knows its
   * output shape ({@link Module#outputShape}).
   */
  Module create();
}
