package dev.streamgrad.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
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
  /** Each model's metrics, resolved once: the trainer updates them for every record. */
  private final Map<String, Model> models = new HashMap<>();

  ModelMetrics(MetricGroup operator) {
    this.gauges = new ModelGauges(operator);
  }

  /** The metrics of {@code model}, registered the first time this subtask sees it. */
  Model of(String model) {
    return models.computeIfAbsent(model, m -> new Model(gauges, m));
  }

  /**
   * One model's counters and gauges, each registered when first used (a model whose records all
   * became dead letters shows no gauges) and kept, so that a record costs no lookups by name.
   */
  static final class Model {
    private final ModelGauges gauges;
    private final String model;
    private final Counter recordsIn;
    private Counter recordsOut;
    private ModelGauges.Value loss;
    private ModelGauges.Value prequentialLoss;
    private ModelGauges.Value holdoutLoss;
    private ModelGauges.Value windowLoss;
    private ModelGauges.Value modelVersion;

    private Model(ModelGauges gauges, String model) {
      this.gauges = gauges;
      this.model = model;
      recordsIn = gauges.counter(model, "recordsIn");
    }

    /** Counts a record that reached the trainer. */
    void in() {
      recordsIn.inc();
    }

    /** Counts a record that was trained on or held out. */
    void out() {
      if (recordsOut == null) {
        recordsOut = gauges.counter(model, "recordsOut");
      }
      recordsOut.inc();
    }

    /** Counts a record that became a dead letter. */
    void dead() {
      gauges.counter(model, "recordsDead").inc();
    }

    /** Counts a drift. */
    void drift() {
      gauges.counter(model, "drifts").inc();
    }

    /** Copies the model's current figures from its state. */
    void update(TrainerState s) {
      if (loss == null) {
        loss = gauges.gauge(model, "loss");
        prequentialLoss = gauges.gauge(model, "prequentialLoss");
        holdoutLoss = gauges.gauge(model, "holdoutLoss");
        windowLoss = gauges.gauge(model, "windowLoss");
        modelVersion = gauges.gauge(model, "modelVersion");
      }
      loss.set(s.lossCount == 0 ? Double.NaN : s.lossSum / s.lossCount);
      prequentialLoss.set(Evaluator.prequentialLoss(s));
      holdoutLoss.set(Evaluator.holdoutLoss(s));
      windowLoss.set(Evaluator.windowLoss(s));
      modelVersion.set(s.version);
    }
  }
}
