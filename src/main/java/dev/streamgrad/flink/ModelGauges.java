package dev.streamgrad.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * Gauges per model, in the operator's metric group under {@code model.<name>} (e.g.
 * {@code ...predictor.model.alpha.modelAgeMs}), each registered the first time a value is set for
 * its model: a subtask only shows the models it has served. Values are the last this subtask set.
 * Counters per model ({@link #counter}) live in the same groups.
 */
final class ModelGauges {
  private final MetricGroup operator;
  /** model -> its group; made once per model, as Flink warns about a group registered twice. */
  private final Map<String, MetricGroup> groups = new HashMap<>();
  /** model -> gauge name -> value. */
  private final Map<String, Map<String, Value>> values = new HashMap<>();
  /** model -> counter name -> counter. */
  private final Map<String, Map<String, Counter>> counters = new HashMap<>();

  /** A gauge's current value; volatile, as reporters read it from another thread. */
  static final class Value {
    private volatile double value = Double.NaN;

    void set(double v) {
      value = v;
    }
  }

  ModelGauges(MetricGroup operator) {
    this.operator = operator;
  }

  /** Counter {@code name} of {@code model}, registered on first use; the same counter afterwards. */
  Counter counter(String model, String name) {
    Map<String, Counter> named = counters.computeIfAbsent(model, m -> new HashMap<>());
    Counter c = named.get(name);
    if (c == null) {
      c = group(model).counter(name);
      named.put(name, c);
    }
    return c;
  }

  private MetricGroup group(String model) {
    return groups.computeIfAbsent(model, m -> operator.addGroup("model", m));
  }

  /** Sets gauge {@code name} of {@code model} (registered on first use) to {@code value}. */
  void set(String model, String name, double value) {
    gauge(model, name).set(value);
  }

  /**
   * Gauge {@code name} of {@code model}, registered on first use: a caller that sets it for every
   * record keeps it, instead of looking it up by name each time.
   */
  Value gauge(String model, String name) {
    Map<String, Value> gauges = values.computeIfAbsent(model, m -> new HashMap<>());
    Value v = gauges.get(name);
    if (v == null) {
      Value created = new Value();
      group(model).gauge(name, (Gauge<Double>) () -> created.value);
      gauges.put(name, created);
      v = created;
    }
    return v;
  }
}
