package dev.streamgrad.flink;

import java.io.Serializable;

/**
 * {@code train.lossGuard}: one record must not wreck a model. A record whose loss (under the model
 * before its update) is above {@code factor} times the mean of the model's last {@code window}
 * accepted losses is not trained on: the update is skipped, the record goes to the dead letters with
 * both numbers, and the model stays exactly as it was. The guard judges only once the window holds
 * {@code minRecords} losses. A stream that really changed would otherwise be refused for ever: after
 * {@code patience} refusals in a row the guard takes the next record as the new normal, forgets the
 * old losses, and trains on.
 *
 * @param factor how far above the recent mean is "far", above 1
 * @param window how many recent accepted losses the mean is over
 * @param minRecords accepted losses needed before the guard judges (1 to {@code window})
 * @param patience refusals in a row after which the guard starts over
 */
public record LossGuard(double factor, int window, int minRecords, int patience) implements Serializable {
  public LossGuard {
    if (!(factor > 1) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be a finite number above 1, got " + factor);
    }
    if (window < 1 || minRecords < 1 || minRecords > window || patience < 1) {
      throw new IllegalArgumentException("need window >= 1, 1 <= minRecords <= window and patience >= 1, got window "
          + window + ", minRecords " + minRecords + ", patience " + patience);
    }
  }

  /** The reason to refuse {@code loss} given the model's recent losses in {@code s}, or null to accept it. */
  String judge(TrainerState s, double loss) {
    if (s.guardCount < minRecords || s.guardConsecutive >= patience) {
      return null;
    }
    double mean = s.guardSum / s.guardCount;
    if (loss > factor * mean) {
      return "loss " + loss + " is more than " + factor + " times the mean " + mean + " of the model's last "
          + s.guardCount + " losses (train.lossGuard); update skipped, model unchanged";
    }
    return null;
  }

  /** Records a refusal. */
  void refused(TrainerState s) {
    s.guardConsecutive++;
  }

  /** Records an accepted loss; after {@code patience} refusals in a row, the old losses are forgotten first. */
  void accepted(TrainerState s, double loss) {
    if (s.guardRecent == null || s.guardRecent.length != window || s.guardConsecutive >= patience) {
      s.guardRecent = new double[window];
      s.guardCount = 0;
      s.guardNext = 0;
      s.guardSum = 0;
    }
    s.guardConsecutive = 0;
    if (s.guardCount < window) {
      s.guardCount++;
    }
    s.guardRecent[s.guardNext] = loss;
    s.guardNext = (s.guardNext + 1) % window;
    // the sum again from the values, not a running sum: losses span orders of magnitude (an outlier
    // taken before the guard judges, then the small losses of a trained model), and subtracting a
    // large one back out would leave only its rounding error
    double sum = 0;
    for (int k = 0; k < s.guardCount; k++) {
      sum += s.guardRecent[k];
    }
    s.guardSum = sum;
  }

  @Override
  public String toString() {
    return "lossGuard(factor=" + factor + ", window=" + window + ", minRecords=" + minRecords + ", patience="
        + patience + ")";
  }
}
