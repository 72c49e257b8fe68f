package dev.streamgrad.flink;

import dev.streamgrad.avro.FilterSnapshot;
import java.io.Serializable;

/**
 * How old a model may be to serve a record (a job spec's {@code predict.maxModelAge},
 * {@code predict.onStale}, {@code predict.maxWaiting}). A model's age for a record is the
 * record's event time minus the event time of the snapshot that would serve it (the last record
 * the trainer had seen): negative when the model has seen later data than the record. As Flink
 * ML's {@code maxAllowedModelDelayMs}, a record whose model is older than {@code maxAgeMs} is not
 * served by it: it waits for a fresher snapshot ({@link OnStale#WAIT}) or becomes a dead letter.
 *
 * @param maxAgeMs the largest age served, in milliseconds; {@link Long#MAX_VALUE}: any age
 * @param onStale what happens to a record whose model is too old
 * @param maxWaiting the most records per key that wait for a fresher model; past it a stale record
 *     becomes a dead letter, so that the wait's state stays bounded
 */
public record Staleness(long maxAgeMs, OnStale onStale, int maxWaiting) implements Serializable {
  /** {@code predict.maxWaiting} when the spec does not set it. */
  public static final int DEFAULT_MAX_WAITING = 10_000;
  /** No bound on the model's age: every record is served by its model's newest snapshot. */
  public static final Staleness UNBOUNDED = new Staleness(Long.MAX_VALUE, OnStale.WAIT, DEFAULT_MAX_WAITING);

  /** What the predictor does with a record whose model is older than {@code maxModelAge}. */
  public enum OnStale {
    /** The record waits in keyed state for a fresher snapshot, or until end of input (default). */
    WAIT,
    /** The record becomes a dead letter at once. */
    DEAD_LETTER
  }

  public Staleness {
    if (maxAgeMs < 0) {
      throw new IllegalArgumentException("maxAgeMs must be >= 0, got " + maxAgeMs);
    }
    if (onStale == null) {
      throw new IllegalArgumentException("onStale is missing");
    }
    if (maxWaiting < 1) {
      throw new IllegalArgumentException("maxWaiting must be at least 1, got " + maxWaiting);
    }
  }

  /** Whether a model's age is bounded at all (without a bound the predictor behaves as it always did). */
  public boolean bounded() {
    return maxAgeMs != Long.MAX_VALUE;
  }

  /** Record event time minus the snapshot's, in milliseconds (0 when either is unknown). */
  public static long age(FilterSnapshot snap, long recordTimeMs) {
    if (snap.getEventTime() == null) {
      return 0;
    }
    return recordTimeMs - snap.getEventTime().toEpochMilli();
  }

  /** Whether {@code snap} may serve a record of event time {@code recordTimeMs}. */
  public boolean fresh(FilterSnapshot snap, long recordTimeMs) {
    return !bounded() || age(snap, recordTimeMs) <= maxAgeMs;
  }

  /** Why a record of event time {@code recordTimeMs} is not served by {@code snap}, for dead letters. */
  String reason(String model, FilterSnapshot snap, long recordTimeMs) {
    return "model '" + model + "' version " + snap.getVersion() + " is " + age(snap, recordTimeMs)
        + " ms older than the record (predict.maxModelAge is " + maxAgeMs + " ms)";
  }
}
