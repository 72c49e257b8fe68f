package dev.streamgrad.flink;

import org.apache.flink.metrics.MetricGroup;

/**
 * The trainer's metrics per model, in the group {@code model.<name>} under the operator's metric
 * group ({@link ModelGauges}: registered the first time this subtask sees the model): gauges
 * {@code prequentialLoss} (rolling mean over {@code train.evaluation.window} records),
 * {@code holdoutLoss}, {@code windowLoss} (the last closed event-time window), {@code modelVersion},
 * and the counter {@code drifts} (detections on this subtask since it started).
 */
final class ModelMetrics {
  private final ModelGauges gauges;

  ModelMetrics(MetricGroup operator) {
    this.gauges = new ModelGauges(operator);
  }

  /** Copies {@code model}'s current figures from its state. */
  void update(String model, TrainerState s) {
    gauges.set(model, "prequentialLoss", Evaluator.prequentialLoss(s));
    gauges.set(model, "holdoutLoss", Evaluator.holdoutLoss(s));
    gauges.set(model, "windowLoss", Evaluator.windowLoss(s));
    gauges.set(model, "modelVersion", s.version);
  }

  /** Counts a drift of {@code model}. */
  void drift(String model) {
    gauges.counter(model, "drifts").inc();
  }
}
