package dev.streamgrad.autograd.ops;

/** {@code max(x, 0)} (NaN stays NaN); the gradient is {@code g} where the output is above 0 and 0 elsewhere, 0 at x = 0 as PyTorch's {@code threshold_backward}. */
public final class Relu extends Elementwise {
  @Override
  double value(double x) {
    return x < 0.0 ? 0.0 : x;
  }

  @Override
  double gradient(double g, double y) {
    return y <= 0.0 ? 0.0 : g;
  }

  @Override
  boolean savesOutput() {
    return true;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<ReluBackward0>}. */
  @Override
  public String name() {
    return "ReluBackward0";
  }
}
