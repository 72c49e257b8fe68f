package dev.streamgrad.optim.lr;

import dev.streamgrad.optim.Optimizer;

/** torch's {@code ExponentialLR(optimizer, gamma)}: multiplies the lr by {@code gamma} every epoch. */
public final class ExponentialLr extends LrScheduler {
  private final double gamma;

  /** @throws IllegalArgumentException if gamma is negative, infinite or NaN */
  public ExponentialLr(Optimizer optimizer, double gamma) {
    super(optimizer);
    checkFactor("gamma", gamma);
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double chainedLr(double lr, long epoch) {
    return epoch == 0 ? lr : lr * gamma;
  }
}
