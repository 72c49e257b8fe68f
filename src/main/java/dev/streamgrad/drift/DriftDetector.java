package dev.streamgrad.drift;

/**
 * A change detector fed one number at a time, as River's {@code base.DriftDetector}: after a
 * detection the next {@link #update} starts from a fresh state.
 */
public interface DriftDetector {
  /**
   * Adds {@code x} and reports whether a drift was detected with it (River's {@code drift_detected}
   * after {@code update(x)}).
   *
   * @throws IllegalArgumentException if {@code x} is NaN or infinite: River would carry it into every
   *     later sum; the caller decides what to do with such a record
   */
  boolean update(double x);

  /** Whether the last {@link #update} detected a drift. */
  boolean driftDetected();

  /** Forgets everything seen (River's {@code _reset}). */
  void reset();

  /** The whole state as plain arrays, for checkpoints. */
  DetectorState snapshot();

  /**
   * Replaces the state by {@code state} (from {@link #snapshot()} of a detector of the same kind and
   * parameters), so that the following updates give what the saved detector would have given.
   *
   * @throws IllegalArgumentException naming what does not fit, if the arrays are not such a state
   */
  void restore(DetectorState state);

  static void checkFinite(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("drift detector input must be finite, got " + x);
    }
  }
}
