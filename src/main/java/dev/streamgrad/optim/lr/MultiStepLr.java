package dev.streamgrad.optim.lr;

import dev.streamgrad.optim.Optimizer;
import java.util.Map;
import java.util.TreeMap;

/**
 * torch's {@code MultiStepLR(optimizer, milestones, gamma=0.1)}: at each milestone epoch multiplies
 * the lr by {@code gamma ** count}, count being how often that epoch is listed (torch keeps the
 * milestones in a {@code Counter}).
 */
public final class MultiStepLr extends LrScheduler {
  private final Map<Long, Integer> milestones = new TreeMap<>();
  private final double gamma;

  public MultiStepLr(Optimizer optimizer, long[] milestones) {
    this(optimizer, milestones, 0.1);
  }

  /** @throws IllegalArgumentException if a milestone is negative or gamma is negative, infinite or NaN */
  public MultiStepLr(Optimizer optimizer, long[] milestones, double gamma) {
    super(optimizer);
    checkFactor("gamma", gamma);
    for (long m : milestones) {
      if (m < 0) {
        throw new IllegalArgumentException("milestones must be >= 0, got " + m);
      }
      this.milestones.merge(m, 1, Integer::sum);
    }
    this.gamma = gamma;
    initialStep();
  }

  @Override
  protected double chainedLr(double lr, long epoch) {
    Integer count = milestones.get(epoch);
    return count == null ? lr : lr * Math.pow(gamma, count);
  }
}
