package dev.streamgrad.optim.lr;

import dev.streamgrad.optim.Optimizer;

/**
 * torch's {@code LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)}: scales the lr
 * by {@code start_factor} at epoch 0 and moves the factor linearly to {@code end_factor} over
 * {@code total_iters} epochs, recursively:
 * {@code lr * (1 + (end - start) / (total_iters * start + (epoch - 1) * (end - start)))}.
 */
public final class LinearLr extends LrScheduler {
  private final double startFactor;
  private final double endFactor;
  private final long totalIters;

  public LinearLr(Optimizer optimizer) {
    this(optimizer, 1.0 / 3, 1.0, 5);
  }

  /**
   * @throws IllegalArgumentException with torch's messages if the start factor is outside (0, 1] or the end factor outside [0, 1], or if
   *     {@code totalIters < 1}
   */
  public LinearLr(Optimizer optimizer, double startFactor, double endFactor, long totalIters) {
    super(optimizer);
    // torch 1.13 lets 0 through and then divides 0 by 0 at epoch 1; later torch rejects it, as here
    if (!(startFactor > 0 && startFactor <= 1.0)) {
      throw new IllegalArgumentException(
          "Starting multiplicative factor expected to be greater than 0 and less or equal to 1, got " + startFactor);
    }
    if (!(endFactor >= 0 && endFactor <= 1.0)) {
      throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1, got "
          + endFactor);
    }
    checkPositive("total_iters", totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    initialStep();
  }

  @Override
  protected double chainedLr(double lr, long epoch) {
    if (epoch == 0) {
      return lr * startFactor;
    }
    if (epoch > totalIters) {
      return lr;
    }
    return lr * (1. + (endFactor - startFactor)
        / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor)));
  }
}
