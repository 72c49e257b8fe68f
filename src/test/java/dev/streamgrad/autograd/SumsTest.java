package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.testing.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Sums} against {@code torch.sum} bit for bit (fixtures/autograd/sums.json). */
class SumsTest {

  static Stream<JsonNode> cases() {
    return Fixtures.cases("autograd/sums.json").stream();
  }

  /** The generator's values: {@code ldexp(a / 3.0, b)}, exact in both languages. */
  static double[] values(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.scalb(((i * 7919L + n * 31L) % 20011 - 10005) / 3.0, (int) ((i * 13L + n) % 21) - 10);
    }
    return x;
  }

  @ParameterizedTest(name = "n = {0}")
  @MethodSource("cases")
  void sumsInTorchsOrder(JsonNode c) {
    int n = c.get("n").asInt();
    double expected = Double.parseDouble(c.get("sum").asText());

    assertThat(Sums.sum(values(n))).isEqualTo(expected);
  }

  @Test
  void theOrderMatters() {
    // the fixture only proves the order if a plain left-to-right sum would fail it
    long differing = cases().filter(c -> {
      double[] x = values(c.get("n").asInt());
      double sequential = 0;
      for (double v : x) {
        sequential += v;
      }
      return sequential != Double.parseDouble(c.get("sum").asText());
    }).count();
    assertThat(differing).isGreaterThan(20);
  }

  @Test
  void offsetAndLengthSelectARun() {
    double[] x = values(100);
    double[] run = new double[37];
    System.arraycopy(x, 11, run, 0, 37);

    assertThat(Sums.sum(x, 11, 37)).isEqualTo(Sums.sum(run));
    assertThat(Sums.sum(new double[0])).isZero();
  }
}
