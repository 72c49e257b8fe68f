package dev.streamgrad.flink;

import java.io.Serializable;

/**
 * A job spec's {@code train.evaluation}: how each model is scored on the stream ({@link Evaluator}).
 *
 * @param window N: the rolling prequential mean is over the model's last N trained records, the
 *     holdout mean over its last {@code N / holdoutEvery} held-out records (at least 1): both about
 *     the last N records of its stream
 * @param eventTimeWindowMillis length of the tumbling event-time windows, aligned to the epoch
 * @param holdoutEvery k: every k-th record of a model is evaluated and not trained on; 0 for none
 */
public record EvaluationConfig(int window, long eventTimeWindowMillis, int holdoutEvery) implements Serializable {
  /** The defaults: a window of 1000 records, one-minute event-time windows, no holdout. */
  public static final EvaluationConfig DEFAULT = new EvaluationConfig(1000, 60_000, 0);

  public EvaluationConfig {
    if (window < 1) {
      throw new IllegalArgumentException("evaluation window must be at least 1, got " + window);
    }
    if (eventTimeWindowMillis < 1) {
      throw new IllegalArgumentException("event-time window must be at least 1 ms, got " + eventTimeWindowMillis);
    }
    if (holdoutEvery < 0 || holdoutEvery == 1) {
      throw new IllegalArgumentException("holdoutEvery must be 0 (none) or at least 2, got " + holdoutEvery);
    }
  }

  @Override
  public String toString() {
    return "evaluation(window=" + window + ", eventTimeWindow=" + eventTimeWindowMillis + "ms"
        + (holdoutEvery == 0 ? "" : ", holdoutEvery=" + holdoutEvery) + ")";
  }
}
