package dev.streamgrad.optim.lr;

import dev.streamgrad.optim.Optimizer;

/**
 * torch's {@code StepLR(optimizer, step_size, gamma=0.1)}: multiplies the lr by {@code gamma} every
 * {@code stepSize} epochs (chainable: {@code lr * gamma} when the epoch is a positive multiple of
 * {@code stepSize}, else {@code lr}).
 */
public final class StepLr extends LrScheduler {
  private final long stepSize;
  private final double gamma;

  public StepLr(Optimizer optimizer, long stepSize) {
    this(optimizer, stepSize, 0.1);
  }

  /**
   * @throws IllegalArgumentException if {@code stepSize < 1} (torch divides by zero) or gamma is
   *     negative, infinite or NaN
   */
  public StepLr(Optimizer optimizer, long stepSize, double gamma) {
    super(optimizer);
    checkPositive("step_size", stepSize);
    checkFactor("gamma", gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double chainedLr(double lr, long epoch) {
    if (epoch == 0 || epoch % stepSize != 0) {
      return lr;
    }
    return lr * gamma;
  }
}
