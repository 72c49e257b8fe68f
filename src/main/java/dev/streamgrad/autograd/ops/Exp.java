package dev.streamgrad.autograd.ops;

/** {@code e^x}; the gradient is {@code g * e^x}, from the saved output. */
public final class Exp extends Elementwise {
  @Override
  double value(double x) {
    return Math.exp(x);
  }

  @Override
  double gradient(double g, double y) {
    return g * y;
  }

  @Override
  boolean savesOutput() {
    return true;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<ExpBackward0>}. */
  @Override
  public String name() {
    return "ExpBackward0";
  }
}
