package dev.streamgrad.autograd.ops;

/** {@code ln x} (NaN below 0, {@code -inf} at 0); the gradient is {@code g / x}. */
public final class Log extends Elementwise {
  @Override
  double value(double x) {
    return Math.log(x);
  }

  @Override
  double gradient(double g, double x) {
    return g / x;
  }

  @Override
  boolean savesOutput() {
    return false;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<LogBackward0>}. */
  @Override
  public String name() {
    return "LogBackward0";
  }
}
