package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Correlation} on inputs holding NaN and infinities against scipy 1.10's correlate2d and
 * convolve2d (fixtures/signal/nonfinite.json): with {@link Method#AUTO} and {@link Method#DIRECT},
 * every NaN and infinity where scipy has it and the finite values to 1e-10, for inputs where AUTO
 * would take the FFT if the values were finite. Also scipy's own boundary tests, with the values
 * those tests expect.
 */
class NonFiniteCorrelationFixtureTest {
  private static final JsonNode DOC = Fixtures.load("signal/nonfinite.json");

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode g : DOC.get("groups")) {
      Tensor in1 = SignalFixtures.tensor(g.get("in1"));
      Tensor in2 = SignalFixtures.tensor(g.get("in2"));
      for (JsonNode c : g.get("cases")) {
        for (Method method : new Method[] {Method.AUTO, Method.DIRECT}) {
          String name = g.get("label").asText() + ": " + c.get("op").asText() + " " + c.get("mode").asText() + " "
              + c.get("boundary").asText() + " fill=" + c.get("fillvalue").asText() + " " + method;
          out.add(Arguments.of(name, in1, in2, c, method));
        }
      }
    }
    return out.stream();
  }

  private static Tensor run(JsonNode c, Tensor in1, Tensor in2, Method method) {
    Mode mode = Mode.of(c.get("mode").asText());
    Boundary boundary = Boundary.of(c.get("boundary").asText());
    double fillvalue = Double.parseDouble(c.get("fillvalue").asText());
    return c.get("op").asText().equals("convolve2d")
        ? Correlation.convolve2d(in1, in2, mode, boundary, fillvalue, method)
        : Correlation.correlate2d(in1, in2, mode, boundary, fillvalue, method);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void nonFiniteValuesStayWhereScipyLeavesThem(String name, Tensor in1, Tensor in2, JsonNode c, Method method) {
    SignalFixtures.assertCloseNonFinite(name, run(c, in1, in2, method), SignalFixtures.tensor(c.get("out")));
  }

  @Test
  void theIssuesCaseWouldTakeTheFftAndTheFftSpreadsTheNan() {
    JsonNode issue = DOC.get("groups").get(0);
    assertThat(issue.get("label").asText()).startsWith("issue");
    Tensor in1 = SignalFixtures.tensor(issue.get("in1"));
    Tensor in2 = SignalFixtures.tensor(issue.get("in2"));
    JsonNode valid = issue.get("cases").get(0);
    assertThat(valid.get("mode").asText()).isEqualTo("valid");
    // for these shapes the cost model picks the FFT: AUTO declines it because of the NaN
    assertThat(Correlation.chooseMethod(in1.shape(), in2.shape(), Mode.VALID)).isEqualTo(Method.FFT);
    long scipyNans = Arrays.stream(SignalFixtures.tensor(valid.get("out")).buffer()).filter(Double::isNaN).count();
    long autoNans = Arrays.stream(run(valid, in1, in2, Method.AUTO).buffer()).filter(Double::isNaN).count();
    long fftNans = Arrays.stream(run(valid, in1, in2, Method.FFT).buffer()).filter(Double::isNaN).count();
    assertThat(scipyNans).as("the 17x17 windows that hold the NaN").isEqualTo(17 * 17);
    assertThat(autoNans).isEqualTo(scipyNans);
    assertThat(fftNans).as("an explicit FFT, as scipy.signal.correlate(method='fft')").isEqualTo(80 * 80);
  }

  @Test
  void everyGroupExercisesTheChoiceAutoMakes() {
    // each group but the small 1xN one has shapes for which finite values would go through the FFT
    int fftShapes = 0;
    for (JsonNode g : DOC.get("groups")) {
      int[] a = SignalFixtures.shape(g.get("in1"));
      int[] b = SignalFixtures.shape(g.get("in2"));
      fftShapes += Correlation.chooseMethod(a, b, Mode.FULL) == Method.FFT ? 1 : 0;
    }
    assertThat(fftShapes).isGreaterThanOrEqualTo(DOC.get("groups").size() - 1);
  }

  static Stream<Arguments> scipyTests() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : DOC.get("scipyTests")) {
      for (Method method : Method.values()) {
        out.add(Arguments.of(c.get("label").asText() + " " + c.get("op").asText() + " " + c.get("boundary").asText()
            + " " + method, c, method));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scipyTests")
  void scipysOwnBoundaryTests(String name, JsonNode c, Method method) {
    Tensor in1 = SignalFixtures.tensor(c.get("in1"));
    Tensor in2 = SignalFixtures.tensor(c.get("in2"));
    Mode mode = Mode.of(c.get("mode").asText());
    Boundary boundary = Boundary.of(c.get("boundary").asText());
    Tensor out = c.get("op").asText().equals("convolve2d")
        ? Correlation.convolve2d(in1, in2, mode, boundary, 0, method)
        : Correlation.correlate2d(in1, in2, mode, boundary, 0, method);
    SignalFixtures.assertClose(name, out.shape(), out.buffer(), SignalFixtures.tensor(c.get("expected")));
  }
}
