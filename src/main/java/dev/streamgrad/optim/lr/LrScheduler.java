package dev.streamgrad.optim.lr;

import dev.streamgrad.optim.Optimizer;

/**
 * Base of the learning-rate schedulers, as torch's {@code _LRScheduler} with {@code last_epoch=-1}:
 * making one records the optimizer's lr as the base lr and performs the initial step (last epoch 0);
 * each {@link #step()} then advances the epoch, computes the new lr from the optimizer's current one
 * ({@link #chainedLr}, torch's {@code get_lr}) and writes it into the optimizer. Call it after
 * {@link Optimizer#step()}, as in torch.
 *
 * <p>Subclasses set their fields and then call {@link #initialStep()} at the end of their
 * constructors (Java runs a base constructor before the subclass's fields are assigned).
 */
public abstract class LrScheduler {
  private final Optimizer optimizer;
  private double baseLr;
  private long lastEpoch = -1;
  private long stepCount;
  private double lastLr = Double.NaN;

  protected LrScheduler(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException("scheduler needs an optimizer, got null");
    }
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr();
  }

  /** torch's {@code _initial_step}: the step that makes last epoch 0; each constructor calls it last. */
  protected final void initialStep() {
    if (stepCount != 0) {
      throw new IllegalStateException("initial step already taken");
    }
    step();
  }

  /** Advances one epoch and sets the optimizer's lr to the scheduled value. */
  public final void step() {
    stepCount++;
    lastEpoch++;
    double lr = chainedLr(optimizer.lr(), lastEpoch);
    optimizer.setLr(lr);
    lastLr = lr;
  }

  /**
   * torch's chainable {@code get_lr()} for the single parameter group.
   *
   * @param currentLr the optimizer's lr now ({@code group["lr"]})
   * @param epoch the epoch just started ({@code last_epoch} after its increment)
   */
  protected abstract double chainedLr(double currentLr, long epoch);

  /** torch's {@code base_lrs[0]}. */
  public final double baseLr() {
    return baseLr;
  }

  /** torch's {@code last_epoch}. */
  public final long lastEpoch() {
    return lastEpoch;
  }

  /** torch's {@code _step_count}. */
  protected final long stepCount() {
    return stepCount;
  }

  /** torch's {@code get_last_lr()[0]}: the lr the last step set. */
  public final double lastLr() {
    return lastLr;
  }

  public final Optimizer optimizer() {
    return optimizer;
  }

  /** The numbers to checkpoint; {@link #loadStateDict} on a scheduler of the same kind resumes it. */
  public final SchedulerState stateDict() {
    return new SchedulerState(lastEpoch, stepCount, baseLr, lastLr);
  }

  /**
   * Resumes from {@code state}: epoch, step count and base lr as saved, and the optimizer's lr set
   * to the saved last lr (the optimizer's own state dict does not carry it), so the following steps
   * compute exactly the rates the saved run would have.
   */
  public final void loadStateDict(SchedulerState state) {
    this.lastEpoch = state.lastEpoch();
    this.stepCount = state.stepCount();
    this.baseLr = state.baseLr();
    this.lastLr = state.lastLr();
    optimizer.setLr(state.lastLr());
  }

  static void checkPositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be a positive integer, got " + value);
    }
  }

  static void checkFactor(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
  }
}
