package dev.streamgrad.nn;

import dev.streamgrad.autograd.Tensor;

/** A leaf tensor that requires grad and that a {@link Module} registers, like {@code nn.Parameter}. */
public final class Parameter extends Tensor {
  /** A parameter holding a copy of {@code data}'s values. */
  public Parameter(Tensor data) {
    super(data, true);
  }

  /** Prints like {@code nn.Parameter}: {@code Parameter containing:} and the tensor. */
  @Override
  public String toString() {
    return "Parameter containing:\n" + super.toString();
  }
}
