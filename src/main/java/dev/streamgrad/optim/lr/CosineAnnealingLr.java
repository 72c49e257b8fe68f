package dev.streamgrad.optim.lr;

import dev.streamgrad.optim.Optimizer;

/**
 * torch's {@code CosineAnnealingLR(optimizer, T_max, eta_min=0)} in its recursive form, which is
 * what torch steps by (not the closed form {@code eta_min + (base - eta_min)(1 + cos(pi t / T_max)) / 2}):
 *
 * <pre>
 * epoch 0:                                  lr
 * (epoch - 1 - T_max) mod 2 T_max == 0:      lr + (base - eta_min)(1 - cos(pi / T_max)) / 2
 * otherwise:  (1 + cos(pi epoch / T_max)) / (1 + cos(pi (epoch - 1) / T_max)) (lr - eta_min) + eta_min
 * </pre>
 *
 * Past {@code T_max} the rate climbs back, as torch's does (no restarts).
 */
public final class CosineAnnealingLr extends LrScheduler {
  private final long tMax;
  private final double etaMin;

  public CosineAnnealingLr(Optimizer optimizer, long tMax) {
    this(optimizer, tMax, 0);
  }

  /** @throws IllegalArgumentException if {@code tMax < 1} (torch divides by zero) or eta_min is not finite */
  public CosineAnnealingLr(Optimizer optimizer, long tMax, double etaMin) {
    super(optimizer);
    checkPositive("T_max", tMax);
    if (!Double.isFinite(etaMin)) {
      throw new IllegalArgumentException("eta_min must be finite, got " + etaMin);
    }
    this.tMax = tMax;
    this.etaMin = etaMin;
    initialStep();
  }

  @Override
  protected double chainedLr(double lr, long epoch) {
    double base = baseLr();
    if (epoch == 0) {
      return lr;
    }
    if (stepCount() == 1 && epoch > 0) {
      // only reachable through a saved state taken right after construction; kept as torch has it
      return etaMin + (base - etaMin) * (1 + Math.cos(epoch * Math.PI / tMax)) / 2;
    }
    if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
      return lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
    }
    return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax))
        * (lr - etaMin) + etaMin;
  }
}
