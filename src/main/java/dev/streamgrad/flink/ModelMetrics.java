package dev.streamgrad.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The trainer's metrics per model, in the group {@code model.<name>} under the operator's metric
 * group (registered the first time this subtask sees the model): gauges {@code prequentialLoss}
 * (rolling mean over {@code train.evaluation.window} records), {@code holdoutLoss},
 * {@code windowLoss} (the last closed event-time window), {@code modelVersion}, and the counter
 * {@code drifts} (detections on this subtask since it started).
 */
final class ModelMetrics {
  private final MetricGroup operator;
  private final Map<String, Model> models = new HashMap<>();

  ModelMetrics(MetricGroup operator) {
    this.operator = operator;
  }

  /** The metrics of {@code model}, registered on first use. */
  Model of(String model) {
    return models.computeIfAbsent(model, m -> new Model(operator.addGroup("model", m)));
  }

  /** One model's metrics; the task thread writes, reporters read. */
  static final class Model {
    private volatile double prequentialLoss = Double.NaN;
    private volatile double holdoutLoss = Double.NaN;
    private volatile double windowLoss = Double.NaN;
    private volatile long modelVersion = -1;
    private final Counter drifts;

    private Model(MetricGroup g) {
      g.gauge("prequentialLoss", (Gauge<Double>) () -> prequentialLoss);
      g.gauge("holdoutLoss", (Gauge<Double>) () -> holdoutLoss);
      g.gauge("windowLoss", (Gauge<Double>) () -> windowLoss);
      g.gauge("modelVersion", (Gauge<Long>) () -> modelVersion);
      drifts = g.counter("drifts");
    }

    /** Copies the model's current figures from its state. */
    void update(TrainerState s) {
      prequentialLoss = Evaluator.prequentialLoss(s);
      holdoutLoss = Evaluator.holdoutLoss(s);
      windowLoss = Evaluator.windowLoss(s);
      modelVersion = s.version;
    }

    void drift() {
      drifts.inc();
    }
  }
}
