package dev.streamgrad.flink;

import java.io.Serializable;

/**
 * How the scorer joins predictions with their delayed labels (a job spec's {@code
 * predict.labelTimeout} and {@code predict.maxUnlabelled}).
 *
 * @param timeoutMs the longest label delay (label event time minus the predicted record's) that is
 *     scored; a prediction whose label comes later, or never, is counted as unlabelled, and is not
 *     kept once the event time (watermark) has passed its deadline
 * @param maxWaiting the most predictions and labels per key that wait for each other in state
 */
public record LabelJoin(long timeoutMs, int maxWaiting) implements Serializable {
  /** {@code predict.maxUnlabelled} when the spec does not set it. */
  public static final int DEFAULT_MAX_WAITING = 10_000;

  public LabelJoin {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be at least 1, got " + timeoutMs);
    }
    if (maxWaiting < 1) {
      throw new IllegalArgumentException("maxWaiting must be at least 1, got " + maxWaiting);
    }
  }

  /** {@code t + timeoutMs}, saturating at {@link Long#MAX_VALUE}. */
  long deadline(long t) {
    return t > Long.MAX_VALUE - timeoutMs ? Long.MAX_VALUE : t + timeoutMs;
  }

  /**
   * When the timer for {@code deadline} fires: rounded up to a sixteenth of the timeout, so that a
   * key holds at most about 16 timers per timeout span and each firing expires a batch.
   */
  long timerFor(long deadline) {
    long grain = Math.max(1, timeoutMs / 16);
    long rounded = Math.floorDiv(deadline, grain) * grain;
    if (rounded < deadline) {
      rounded = rounded > Long.MAX_VALUE - grain ? Long.MAX_VALUE : rounded + grain;
    }
    return rounded;
  }
}
