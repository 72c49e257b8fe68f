package dev.streamgrad.flink;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics every streamgrad operator reports, in its operator metric group: counters
 * {@code recordsIn}, {@code recordsOut}, {@code recordsDead} (records in = out + dead once the
 * operator has caught up; the trainer counts a record as out when it has been trained on), and
 * the gauges {@code loss} and {@code modelVersion} where they apply (last values this subtask saw).
 */
public final class OperatorMetrics {
  private final Counter in;
  private final Counter out;
  private final Counter dead;
  private volatile double loss = Double.NaN;
  private volatile long modelVersion = -1;

  public OperatorMetrics(MetricGroup group, boolean withGauges) {
    this.in = group.counter("recordsIn");
    this.out = group.counter("recordsOut");
    this.dead = group.counter("recordsDead");
    if (withGauges) {
      group.gauge("loss", (Gauge<Double>) () -> loss);
      group.gauge("modelVersion", (Gauge<Long>) () -> modelVersion);
    }
  }

  public void in() {
    in.inc();
  }

  public void out() {
    out.inc();
  }

  public void dead() {
    dead.inc();
  }

  void loss(double value) {
    loss = value;
  }

  void modelVersion(long value) {
    modelVersion = value;
  }
}
