package dev.streamgrad.autograd.ops;

/** {@code 1 / (1 + e^-x)}; the gradient is {@code g * (1 - y) * y} from the saved output y, PyTorch's {@code sigmoid_backward}. */
public final class Sigmoid extends Elementwise {
  @Override
  double value(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  @Override
  double gradient(double g, double y) {
    return g * (1.0 - y) * y;
  }

  @Override
  boolean savesOutput() {
    return true;
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<SigmoidBackward0>}. */
  @Override
  public String name() {
    return "SigmoidBackward0";
  }
}
