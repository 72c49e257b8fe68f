package dev.streamgrad.flink;

import org.apache.flink.metrics.MetricGroup;

/**
 * The trainer's metrics per model, in the group {@code model.<name>} under the operator's metric
 * group ({@link ModelGauges}: registered the first time this subtask sees the model): gauges
 * {@code prequentialLoss} (rolling mean over {@code train.evaluation.window} records),
 * {@code holdoutLoss}, {@code windowLoss} (the last closed event-time window), {@code modelVersion},
 * {@code loss} (mean training loss since the model's last snapshot), and the counters
 * {@code recordsIn}, {@code recordsOut} (trained on or held out), {@code recordsDead} and
 * {@code drifts} (detections on this subtask since it started).
 */
final class ModelMetrics {
  private final ModelGauges gauges;

  ModelMetrics(MetricGroup operator) {
    this.gauges = new ModelGauges(operator);
  }

  /** Counts a record of {@code model} that reached the trainer. */
  void in(String model) {
    gauges.counter(model, "recordsIn").inc();
  }

  /** Counts a record of {@code model} that became a dead letter. */
  void dead(String model) {
    gauges.counter(model, "recordsDead").inc();
  }

  /** Counts a record of {@code model} that was trained on or held out. */
  void out(String model) {
    gauges.counter(model, "recordsOut").inc();
  }

  /** Copies {@code model}'s current figures from its state. */
  void update(String model, TrainerState s) {
    gauges.set(model, "loss", s.lossCount == 0 ? Double.NaN : s.lossSum / s.lossCount);
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
