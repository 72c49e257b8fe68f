package dev.streamgrad.flink;

import dev.streamgrad.drift.DetectorSpec;
import java.io.Serializable;

/**
 * A job spec's {@code train.drift}: the detector run on each model's prequential loss, and what
 * the trainer does when it fires.
 *
 * @param detector Page-Hinkley or ADWIN with River's parameters
 * @param resetOptimizer {@code reaction: reset-optimizer}: clear the model's optimizer state
 *     (momentum, Adam's moments and step) before the update of the record that made it fire;
 *     false for {@code reaction: none}
 */
public record DriftConfig(DetectorSpec detector, boolean resetOptimizer) implements Serializable {
  public DriftConfig {
    if (detector == null) {
      throw new IllegalArgumentException("drift needs a detector");
    }
  }

  /** The reaction's name in specs and events. */
  public String reaction() {
    return resetOptimizer ? "reset-optimizer" : "none";
  }

  @Override
  public String toString() {
    return "drift(" + detector + ", reaction=" + reaction() + ")";
  }
}
