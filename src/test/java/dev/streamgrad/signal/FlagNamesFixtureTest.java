package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Mode}, {@link Boundary}, {@link Method} and {@link Norm} accept exactly the names scipy
 * 1.10 and numpy 1.24 accept (fixtures/signal/flags.json, made by calling them with each name):
 * an accepted name gives their numbers, a rejected one their message.
 */
class FlagNamesFixtureTest {
  private static final JsonNode DOC = Fixtures.load("signal/flags.json");
  private static final Tensor X = SignalFixtures.tensor(DOC.get("x"));
  private static final Tensor K = SignalFixtures.tensor(DOC.get("k"));

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : DOC.get("cases")) {
      String name = c.get("name").isNull() ? null : c.get("name").asText();
      out.add(Arguments.of(c.get("flag").asText() + " " + (name == null ? "None" : "'" + name + "'"), name, c));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void acceptsWhatScipyAndNumpyAcceptAndRejectsTheRestWithTheirText(String label, String name, JsonNode c) {
    String flag = c.get("flag").asText();
    if (c.has("error")) {
      String shown = name == null ? "None" : "'" + name + "'";
      String expected = flag.equals("norm") ? c.get("error").asText() : c.get("error").asText() + " Got " + shown;
      assertThatThrownBy(() -> parse(flag, name)).as(label).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(expected);
      return;
    }
    Tensor expected = SignalFixtures.tensor(c.get("out"));
    switch (flag) {
      case "mode":
        check(label, Correlation.correlate2d(X, K, Mode.of(name)), expected);
        break;
      case "boundary":
        check(label, Correlation.convolve2d(X, K, Mode.SAME, Boundary.of(name), 0.5), expected);
        break;
      case "method":
        check(label, Correlation.correlate2d(X, K, Mode.FULL, Boundary.FILL, 0, Method.of(name)), expected);
        break;
      default:
        Norm norm = Norm.of(name);
        ComplexTensor spectrum = Fft.rfft2(X, null, norm);
        check(label + " rfft2 re", Tensor.wrap(spectrum.re(), spectrum.shape()), SignalFixtures.tensor(c.get("re")));
        check(label + " rfft2 im", Tensor.wrap(spectrum.im(), spectrum.shape()), SignalFixtures.tensor(c.get("im")));
        check(label + " irfft2", Fft.irfft2(spectrum, X.shape(), norm), expected);
    }
  }

  private static Object parse(String flag, String name) {
    switch (flag) {
      case "mode":
        return Mode.of(name);
      case "boundary":
        return Boundary.of(name);
      case "method":
        return Method.of(name);
      default:
        return Norm.of(name);
    }
  }

  private static void check(String what, Tensor actual, Tensor expected) {
    SignalFixtures.assertClose(what, actual.shape(), actual.buffer(), expected);
  }

  @Test
  void aliasesNameTheSameBoundaryAndRejectedNamesAreQuoted() {
    assertThat(Boundary.of("pad")).isSameAs(Boundary.of("fill")).isSameAs(Boundary.FILL);
    assertThat(Boundary.of("circular")).isSameAs(Boundary.of("wrap")).isSameAs(Boundary.WRAP);
    assertThat(Boundary.of("symmetric")).isSameAs(Boundary.of("symm")).isSameAs(Boundary.SYMM);
    assertThatThrownBy(() -> Mode.of("FULL")).hasMessage("Acceptable mode flags are 'valid', 'same', or 'full'."
        + " Got 'FULL'.");
    assertThatThrownBy(() -> Boundary.of("Symm")).hasMessage("Acceptable boundary flags are 'fill', 'circular'"
        + " (or 'wrap'), and 'symmetric' (or 'symm'). Got 'Symm'.");
    assertThatThrownBy(() -> Boundary.of("reflect")).hasMessage("Incorrect boundary value. Got 'reflect'"
        + " (correlate2d and convolve2d support 'fill', 'circular' (or 'wrap'), and 'symmetric' (or 'symm')).");
    assertThatThrownBy(() -> Method.of(null)).hasMessage("Acceptable method flags are 'auto', 'direct', or 'fft'."
        + " Got None.");
    assertThatThrownBy(() -> Norm.of("ORTHO"))
        .hasMessage("Invalid norm value ORTHO; should be \"backward\",\"ortho\" or \"forward\".");
    assertThat(Norm.of(null)).isSameAs(Norm.BACKWARD);
  }
}
