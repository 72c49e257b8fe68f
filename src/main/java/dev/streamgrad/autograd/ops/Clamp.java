package dev.streamgrad.autograd.ops;

/**
 * {@code min(max(x, lo), hi)}, {@code torch.clamp}: NaN stays NaN, and with {@code lo > hi} every
 * element is {@code hi}. The gradient is PyTorch's {@code clamp_backward}: {@code g} where {@code lo
 * <= x <= hi}, so it passes at the bounds themselves, and 0 elsewhere (and at NaN). An infinite
 * bound stands for no bound ({@code clamp(min=lo)}).
 */
public final class Clamp extends Elementwise {
  private final double lo;
  private final double hi;

  /** Bounds may be infinite; NaN is not a bound. */
  public Clamp(double lo, double hi) {
    if (Double.isNaN(lo) || Double.isNaN(hi)) {
      throw new IllegalArgumentException("clamp: bounds must not be NaN, got min " + lo + " and max " + hi);
    }
    this.lo = lo;
    this.hi = hi;
  }

  @Override
  double value(double x) {
    return Math.min(Math.max(x, lo), hi);
  }

  @Override
  double gradient(double g, double x) {
    return x >= lo && x <= hi ? g : 0.0;
  }

  @Override
  boolean savesOutput() {
    return false;
  }

  /** PyTorch's node name for a clamp with number bounds, as printed in {@code grad_fn=<ClampBackward1>}. */
  @Override
  public String name() {
    return "ClampBackward1";
  }
}
