package dev.streamgrad.signal;

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

/** {@link Fft} against numpy 1.24's rfft2/irfft2 (fixtures/signal/fft.json), to 1e-10 relative. */
class FftFixtureTest {

  static Stream<Arguments> rfft2Cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode g : Fixtures.load("signal/fft.json").get("groups")) {
      Tensor x = SignalFixtures.tensor(g.get("x"));
      for (JsonNode c : g.get("rfft2")) {
        out.add(Arguments.of(Arrays.toString(x.shape()) + " s=" + c.get("s") + " norm=" + c.get("norm").asText(), x, c));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> irfft2Cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode g : Fixtures.load("signal/fft.json").get("groups")) {
      Tensor re = SignalFixtures.tensor(g.get("spec_re"));
      Tensor im = SignalFixtures.tensor(g.get("spec_im"));
      for (JsonNode c : g.get("irfft2")) {
        String name = Arrays.toString(re.shape()) + " s=" + c.get("s") + " norm=" + c.get("norm").asText();
        out.add(Arguments.of(name, re, im, c));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "rfft2 {0}")
  @MethodSource("rfft2Cases")
  void rfft2MatchesNumpy(String name, Tensor x, JsonNode c) {
    ComplexTensor out = Fft.rfft2(x, SignalFixtures.sizes(c.get("s")), Norm.of(c.get("norm").asText()));
    SignalFixtures.assertClose("re", out.shape(), out.re(), SignalFixtures.tensor(c.get("re")));
    SignalFixtures.assertClose("im", out.shape(), out.im(), SignalFixtures.tensor(c.get("im")));
  }

  @ParameterizedTest(name = "irfft2 {0}")
  @MethodSource("irfft2Cases")
  void irfft2MatchesNumpy(String name, Tensor re, Tensor im, JsonNode c) {
    ComplexTensor spectrum = new ComplexTensor(re.toArray(), im.toArray(), re.shape());
    Tensor out = Fft.irfft2(spectrum, SignalFixtures.sizes(c.get("s")), Norm.of(c.get("norm").asText()));
    SignalFixtures.assertClose("irfft2", out.shape(), out.buffer(), SignalFixtures.tensor(c.get("out")));
  }
}
