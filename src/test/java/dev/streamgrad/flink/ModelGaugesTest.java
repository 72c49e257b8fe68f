package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** Per-model gauges are registered once, lazily, under {@code model.<name>}; recent means are exact. */
class ModelGaugesTest {
  /** Records the gauges and groups registered, by dotted path. */
  private static final class Recording extends UnregisteredMetricsGroup {
    private final String prefix;
    private final Map<String, Gauge<?>> gauges;
    private final List<String> groups;

    Recording(String prefix, Map<String, Gauge<?>> gauges, List<String> groups) {
      this.prefix = prefix;
      this.gauges = gauges;
      this.groups = groups;
    }

    @Override
    public MetricGroup addGroup(String key, String value) {
      groups.add(prefix + key + "." + value);
      return new Recording(prefix + key + "." + value + ".", gauges, groups);
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
      assertThat(gauges).as("registered once").doesNotContainKey(prefix + name);
      gauges.put(prefix + name, gauge);
      return gauge;
    }
  }

  @Test
  void eachModelsGaugesAreRegisteredOnFirstUseAndShowTheLastValue() {
    Map<String, Gauge<?>> gauges = new LinkedHashMap<>();
    List<String> groups = new ArrayList<>();
    ModelGauges g = new ModelGauges(new Recording("", gauges, groups));
    assertThat(gauges).isEmpty();
    g.set("alpha", "modelAgeMs", -250);
    g.set("alpha", "modelAgeMs", 1_500);
    g.set("beta", "servedLoss", 0.5);
    g.set("alpha", "servedLoss", 0.25);
    assertThat(groups).containsExactly("model.alpha", "model.beta");
    assertThat(gauges.keySet()).containsExactly("model.alpha.modelAgeMs", "model.beta.servedLoss",
        "model.alpha.servedLoss");
    assertThat(gauges.get("model.alpha.modelAgeMs").getValue()).isEqualTo(1_500.0);
    assertThat(gauges.get("model.alpha.servedLoss").getValue()).isEqualTo(0.25);
  }

  @Test
  void recentMeansAreTheMeanOfTheLastWindowValuesPerName() {
    RecentMeans m = new RecentMeans(3);
    assertThat(m.add("a", 1)).isEqualTo(1);
    assertThat(m.add("a", 2)).isEqualTo(1.5);
    assertThat(m.add("b", 10)).isEqualTo(10);
    assertThat(m.add("a", 3)).isEqualTo(2);
    assertThat(m.add("a", 7)).isEqualTo(4); // 2, 3, 7
    for (int i = 0; i < 1000; i++) {
      m.add("a", 0.1);
    }
    assertThat(m.add("a", 0.1)).isEqualTo((0.1 + 0.1 + 0.1) / 3);
  }
}
