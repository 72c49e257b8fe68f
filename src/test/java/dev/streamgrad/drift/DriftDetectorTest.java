package dev.streamgrad.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Page-Hinkley and ADWIN against River's (fixtures/drift/detectors.json, made by
 * src/test/python/gen_drift_fixtures.py from a transcription of River's code that reproduces River's
 * own doctest results): the same detections on every stream (abrupt shift, gradual, noisy without
 * drift, constant, a training loss, a decrease, River's doctest stream), the same final state bit for
 * bit, and the same detections after a snapshot and restore into a new detector mid-stream.
 */
class DriftDetectorTest {
  private static final JsonNode FIXTURE = Fixtures.load("drift/detectors.json");

  static Stream<JsonNode> cases() {
    return Fixtures.cases("drift/detectors.json").stream();
  }

  static DriftDetector detector(JsonNode c) {
    JsonNode p = c.get("params");
    if (c.get("detector").asText().equals("PageHinkley")) {
      return new PageHinkley(p.path("min_instances").asInt(30), p.path("delta").asDouble(0.005),
          p.path("threshold").asDouble(50.0), p.path("alpha").asDouble(1 - 0.0001),
          PageHinkley.Mode.of(p.path("mode").asText("both")));
    }
    return new Adwin(p.path("delta").asDouble(0.002), p.path("clock").asInt(32), p.path("max_buckets").asInt(5),
        p.path("min_window_length").asInt(5), p.path("grace_period").asInt(10));
  }

  static double[] stream(JsonNode c) {
    JsonNode values = FIXTURE.get("streams").get(c.get("stream").asText());
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).asDouble();
    }
    return out;
  }

  static List<Long> expectedDetections(JsonNode c) {
    List<Long> out = new ArrayList<>();
    c.get("detections").forEach(n -> out.add(n.asLong()));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void detectsWhereRiverDoesWithTheSameFinalState(JsonNode c) {
    DriftDetector d = detector(c);
    double[] xs = stream(c);
    List<Long> detections = new ArrayList<>();
    for (int i = 0; i < xs.length; i++) {
      if (d.update(xs[i])) {
        detections.add((long) i);
      }
      assertThat(d.driftDetected()).isEqualTo(!detections.isEmpty() && detections.get(detections.size() - 1) == i);
    }
    assertThat(detections).as(c.get("stream") + " " + c.get("detector") + " " + c.get("params"))
        .isEqualTo(expectedDetections(c));
    JsonNode s = c.get("state");
    if (d instanceof PageHinkley ph) {
      double[] v = ph.snapshot().values();
      assertThat(v).containsExactly(s.get("n").asDouble(), s.get("mean").asDouble(), s.get("sum_increase").asDouble(),
          s.get("sum_decrease").asDouble(), minIncrease(s), s.get("max_decrease").asDouble());
      assertThat(ph.count()).isEqualTo((long) s.get("n").asDouble());
    } else {
      Adwin a = (Adwin) d;
      DetectorState st = a.snapshot();
      long[] counts = st.counts();
      double[] values = st.values();
      assertThat(counts[0]).as("tick").isEqualTo(s.get("tick").asLong());
      assertThat(counts[1]).as("n_detections").isEqualTo(s.get("n_detections").asLong());
      assertThat(counts[2]).as("n_buckets").isEqualTo(s.get("n_buckets").asLong());
      assertThat(counts[3]).as("max_n_buckets").isEqualTo(s.get("max_n_buckets").asLong());
      assertThat(values[0]).as("total").isEqualTo(s.get("total").asDouble());
      assertThat(values[1]).as("variance").isEqualTo(s.get("variance").asDouble());
      assertThat(values[2]).as("width").isEqualTo(s.get("width").asDouble());
      assertThat(values[3]).as("total_width").isEqualTo(s.get("total_width").asDouble());
      assertThat(a.width()).isEqualTo((long) s.get("width").asDouble());
      JsonNode rows = s.get("rows");
      assertThat(counts[5]).as("rows").isEqualTo(rows.size());
      int at = 4;
      for (int r = 0; r < rows.size(); r++) {
        JsonNode totals = rows.get(r).get("totals");
        JsonNode variances = rows.get(r).get("variances");
        assertThat(counts[6 + r]).as("row " + r + " size").isEqualTo(totals.size());
        for (int k = 0; k < totals.size(); k++) {
          assertThat(values[at + k]).as("row %d total %d", r, k).isEqualTo(totals.get(k).asDouble());
          assertThat(values[at + totals.size() + k]).as("row %d variance %d", r, k).isEqualTo(variances.get(k).asDouble());
        }
        at += 2 * totals.size();
      }
    }
  }

  private static double minIncrease(JsonNode s) {
    JsonNode m = s.get("min_increase");
    // Python's json writes float("inf") as Infinity, which Jackson reads as text here
    return m.isNumber() ? m.asDouble() : Double.parseDouble(m.asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aRestoredDetectorContinuesExactly(JsonNode c) {
    double[] xs = stream(c);
    for (int cut : new int[] {1, xs.length / 3, xs.length / 2 + 7}) {
      DriftDetector first = detector(c);
      List<Long> detections = new ArrayList<>();
      for (int i = 0; i < cut; i++) {
        if (first.update(xs[i])) {
          detections.add((long) i);
        }
      }
      DetectorState saved = first.snapshot();
      DriftDetector second = detector(c);
      second.restore(new DetectorState(saved.counts(), saved.values()));
      assertThat(second.snapshot()).isEqualTo(saved);
      for (int i = cut; i < xs.length; i++) {
        if (second.update(xs[i])) {
          detections.add((long) i);
        }
      }
      assertThat(detections).as("cut at " + cut).isEqualTo(expectedDetections(c));
    }
  }

  @Test
  void fixturesCoverTheStreamsAndTheRiverDoctest() {
    assertThat(FIXTURE.get("streams").fieldNames()).toIterable().contains("abrupt_mean_shift", "gradual",
        "noisy_no_drift", "constant", "river_doctest");
    // River's own doctests: PageHinkley "Change detected at index 1006", ADWIN "... at index 1023"
    for (JsonNode c : Fixtures.cases("drift/detectors.json")) {
      if (c.get("stream").asText().equals("river_doctest") && c.get("params").isEmpty()) {
        assertThat(c.get("detections").get(0).asLong())
            .isEqualTo(c.get("detector").asText().equals("PageHinkley") ? 1006 : 1023);
      }
    }
  }

  @Test
  void defaultsAreRivers() {
    PageHinkley ph = new PageHinkley();
    Adwin adwin = new Adwin();
    for (int i = 0; i < 100; i++) {
      assertThat(ph.update(0.25)).isFalse();
      assertThat(adwin.update(0.25)).isFalse();
    }
    assertThat(ph.mean()).isEqualTo(0.25);
    assertThat(adwin.estimation()).isEqualTo(0.25);
    assertThat(adwin.variance()).isZero();
  }

  @Test
  void badParametersAndInputsAreNamed() {
    assertThatThrownBy(() -> PageHinkley.Mode.of("sideways"))
        .hasMessage("Invalid 'mode' 'sideways'. Valid values are: [up, down, both]");
    assertThatThrownBy(() -> new PageHinkley(0, 0.005, 50, 0.9999, PageHinkley.Mode.BOTH)).hasMessageContaining("min_instances");
    assertThatThrownBy(() -> new PageHinkley(30, Double.NaN, 50, 0.9999, PageHinkley.Mode.BOTH)).hasMessageContaining("delta");
    assertThatThrownBy(() -> new PageHinkley(30, 0.005, 0, 0.9999, PageHinkley.Mode.BOTH)).hasMessageContaining("threshold");
    assertThatThrownBy(() -> new PageHinkley(30, 0.005, 50, 1.5, PageHinkley.Mode.BOTH)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> new Adwin(1.0, 32, 5, 5, 10)).hasMessage("delta must be in (0, 1), got 1.0");
    assertThatThrownBy(() -> new Adwin(0.002, 0, 5, 5, 10)).hasMessage("clock must be >= 1, got 0");
    assertThatThrownBy(() -> new Adwin(0.002, 32, 0, 5, 10)).hasMessage("max_buckets must be >= 1, got 0");
    assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 0, 10)).hasMessage("min_window_length must be >= 1, got 0");
    assertThatThrownBy(() -> new Adwin(0.002, 32, 5, 5, -1)).hasMessage("grace_period must be >= 0, got -1");
    assertThatThrownBy(() -> new Adwin().update(Double.NaN)).hasMessage("drift detector input must be finite, got NaN");
    assertThatThrownBy(() -> new PageHinkley().update(Double.POSITIVE_INFINITY))
        .hasMessage("drift detector input must be finite, got Infinity");
  }

  @Test
  void restoringAStateThatDoesNotFitIsRefusedAndNamed() {
    Adwin adwin = new Adwin();
    for (int i = 0; i < 200; i++) {
      adwin.update(i % 7);
    }
    DetectorState good = adwin.snapshot();
    long[] counts = good.counts();
    counts[6] = 9;
    assertThatThrownBy(() -> new Adwin().restore(new DetectorState(counts, good.values())))
        .hasMessageContaining("row 0 holds 9 buckets, but max_buckets is 5");
    assertThatThrownBy(() -> new Adwin().restore(new DetectorState(good.counts(), new double[5])))
        .hasMessageContaining("values, got 5");
    assertThatThrownBy(() -> new PageHinkley().restore(good)).hasMessageContaining("Page-Hinkley state needs 1 count");
    assertThatThrownBy(() -> new PageHinkley().restore(new DetectorState(new long[] {2}, new double[6])))
        .hasMessageContaining("drift flag must be 0 or 1, got 2");
  }
}
