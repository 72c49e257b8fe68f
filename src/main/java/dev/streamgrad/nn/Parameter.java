package dev.streamgrad.nn;

import dev.streamgrad.autograd.Tensor;

/** A leaf tensor that requires grad and that a {@link Module} registers, like {@code nn.Parameter}. */
public final class Parameter extends Tensor {
  /** A parameter holding a copy of {@code data}'s values. */
  public Parameter(Tensor data) {
    super(data, true);
  }
}
