package dev.streamgrad.autograd.ops;

/** {@code tanh x}; the gradient is {@code g * (1 - y^2)} from the saved output y, PyTorch's {@code tanh_backward}. */
public final class Tanh extends Elementwise {
  @Override
  double value(double x) {
    return Math.tanh(x);
  }

  @Override
  double gradient(double g, double y) {
    return g * (1.0 - y * y);
  }

  @Override
  boolean savesOutput() {
    return true;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<TanhBackward0>}. */
  @Override
  public String name() {
    return "TanhBackward0";
  }
}
