package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Correlation} against scipy 1.10's correlate2d/convolve2d (fixtures/signal/correlation.json),
 * every case by every method, to 1e-10 relative; scipy's errors with scipy's text.
 */
class CorrelationFixtureTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode g : Fixtures.load("signal/correlation.json").get("groups")) {
      Tensor in1 = SignalFixtures.tensor(g.get("in1"));
      Tensor in2 = SignalFixtures.tensor(g.get("in2"));
      for (JsonNode c : g.get("cases")) {
        for (Method method : Method.values()) {
          String name = c.get("op").asText() + " " + Arrays.toString(in1.shape()) + "*" + Arrays.toString(in2.shape())
              + " " + c.get("mode").asText() + " " + c.get("boundary").asText() + " fill=" + c.get("fillvalue")
              + " " + method;
          out.add(Arguments.of(name, in1, in2, c, method));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesScipy(String name, Tensor in1, Tensor in2, JsonNode c, Method method) {
    boolean convolve = c.get("op").asText().equals("convolve2d");
    Mode mode = Mode.of(c.get("mode").asText());
    Boundary boundary = Boundary.of(c.get("boundary").asText());
    double fillvalue = c.get("fillvalue").asDouble();
    if (c.has("error")) {
      assertThatThrownBy(() -> run(convolve, in1, in2, mode, boundary, fillvalue, method))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(c.get("error").asText())
          .hasMessageContaining(Arrays.toString(in1.shape()))
          .hasMessageContaining(Arrays.toString(in2.shape()));
      return;
    }
    Tensor out = run(convolve, in1, in2, mode, boundary, fillvalue, method);
    SignalFixtures.assertClose(name, out.shape(), out.buffer(), SignalFixtures.tensor(c.get("out")));
  }

  private static Tensor run(boolean convolve, Tensor in1, Tensor in2, Mode mode, Boundary boundary, double fillvalue,
      Method method) {
    return convolve
        ? Correlation.convolve2d(in1, in2, mode, boundary, fillvalue, method)
        : Correlation.correlate2d(in1, in2, mode, boundary, fillvalue, method);
  }
}
