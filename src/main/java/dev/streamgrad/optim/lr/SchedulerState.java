package dev.streamgrad.optim.lr;

/**
 * What a {@link LrScheduler} needs to resume exactly: torch's {@code state_dict()} entries for one
 * parameter group, as plain numbers (a Flink POJO/record, no Java serialization).
 *
 * @param lastEpoch torch's {@code last_epoch}: how many times {@link LrScheduler#step()} ran after
 *     the initial step (0 right after construction)
 * @param stepCount torch's {@code _step_count}: the calls of step, the initial one included
 * @param baseLr torch's {@code base_lrs[0]}: the optimizer's lr when the scheduler was made
 * @param lastLr torch's {@code _last_lr[0]}: the lr the scheduler last set, which the next
 *     (recursive) step starts from; loading the state puts it back into the optimizer
 */
public record SchedulerState(long lastEpoch, long stepCount, double baseLr, double lastLr) {
  /** Checks the numbers, as a resumed job reads them from a checkpoint. */
  public SchedulerState {
    if (lastEpoch < 0) {
      throw new IllegalArgumentException("scheduler state: last_epoch must be >= 0, got " + lastEpoch);
    }
    if (stepCount < 1) {
      throw new IllegalArgumentException("scheduler state: step count must be >= 1, got " + stepCount);
    }
    if (!(baseLr >= 0) || Double.isInfinite(baseLr)) {
      throw new IllegalArgumentException("scheduler state: base lr must be finite and >= 0, got " + baseLr);
    }
    if (!(lastLr >= 0) || Double.isInfinite(lastLr)) {
      throw new IllegalArgumentException("scheduler state: last lr must be finite and >= 0, got " + lastLr);
    }
  }
}
