package dev.streamgrad.autograd.ops;

/** {@code sqrt(x)}; the gradient is {@code g / (2 sqrt(x))}, from the saved output (inf at 0, as in PyTorch). */
public final class Sqrt extends Elementwise {
  @Override
  double value(double x) {
    return Math.sqrt(x);
  }

  @Override
  double gradient(double g, double y) {
    return g / (2.0 * y);
  }

  @Override
  boolean savesOutput() {
    return true;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<SqrtBackward0>}. */
  @Override
  public String name() {
    return "SqrtBackward0";
  }
}
