package dev.streamgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trains with {@link Sgd} and {@link Adam} and compares every parameter after every step, and the
 * loss before it, with the trajectory that torch.optim.SGD / torch.optim.Adam followed from the same
 * start (fixtures/optim, made by src/test/python/gen_optim_fixtures.py with PyTorch 1.13).
 */
class OptimizerTrajectoryTest {
  /** Relative tolerance of the issue; values below {@link #FLOOR} in magnitude are held to FLOOR * TOL. */
  private static final double TOL = 1e-12;
  private static final double FLOOR = 1e-3;
  /** Worst relative difference and steps compared, per optimizer family, for the report. */
  private static final Map<String, double[]> WORST = new TreeMap<>();

  static Stream<JsonNode> sgdCases() {
    return Fixtures.cases("optim/sgd.json").stream();
  }

  static Stream<JsonNode> adamCases() {
    return Fixtures.cases("optim/adam.json").stream();
  }

  static Stream<JsonNode> conv2dCases() {
    return Fixtures.cases("optim/conv2d.json").stream();
  }

  @AfterAll
  static void report() {
    WORST.forEach((family, w) -> System.out.printf(Locale.ROOT,
        "%s trajectories vs torch: %d steps compared, worst relative difference %.3g%n", family, (long) w[1], w[0]));
  }

  static Optimizer optimizer(String kind, JsonNode cfg, List<Parameter> params) {
    double lr = cfg.get("lr").asDouble();
    double weightDecay = cfg.path("weight_decay").asDouble(0);
    boolean maximize = cfg.path("maximize").asBoolean(false);
    if (kind.equals("sgd")) {
      return new Sgd(params, lr, cfg.path("momentum").asDouble(0), cfg.path("dampening").asDouble(0),
          weightDecay, cfg.path("nesterov").asBoolean(false), maximize);
    }
    JsonNode betas = cfg.get("betas");
    return new Adam(params, lr, betas == null ? 0.9 : betas.get(0).asDouble(),
        betas == null ? 0.999 : betas.get(1).asDouble(), cfg.path("eps").asDouble(1e-8), weightDecay,
        cfg.path("amsgrad").asBoolean(false), maximize);
  }

  @ParameterizedTest(name = "SGD {0}")
  @MethodSource("sgdCases")
  void sgdFollowsTorch(JsonNode c) {
    quadratic("sgd", c);
  }

  @ParameterizedTest(name = "Adam {0}")
  @MethodSource("adamCases")
  void adamFollowsTorch(JsonNode c) {
    quadratic("adam", c);
  }

  /** loss = mse_loss(w * x + b, y) + l2 * sum(w^2), negated when the optimizer maximizes. */
  private static void quadratic(String kind, JsonNode c) {
    Parameter w = new Parameter(Fixtures.tensor(c.get("init").get("w")));
    Parameter b = new Parameter(Fixtures.tensor(c.get("init").get("b")));
    Tensor x = Fixtures.tensor(c.get("x"));
    Tensor y = Fixtures.tensor(c.get("y"));
    double l2 = c.get("l2").asDouble();
    double sign = c.get("config").path("maximize").asBoolean(false) ? -1.0 : 1.0;
    Map<String, Parameter> params = new LinkedHashMap<>();
    params.put("w", w);
    params.put("b", b);
    Optimizer opt = optimizer(kind, c.get("config"), List.copyOf(params.values()));

    follow(kind, c, opt, params, () -> MseLoss.mseLoss(w.mul(x).add(b), y).add(w.pow(2).sum().mul(l2)).mul(sign));
  }

  @ParameterizedTest(name = "Conv2d {0}")
  @MethodSource("conv2dCases")
  void conv2dTrainingFollowsTorch(JsonNode c) {
    Conv2d conv = new Conv2d(Fixtures.tensor(c.get("init").get("filter")), Fixtures.tensor(c.get("init").get("bias")));
    Tensor x = Fixtures.tensor(c.get("x"));
    Tensor y = Fixtures.tensor(c.get("y"));
    Optimizer opt = optimizer(c.get("optimizer").asText(), c.get("config"), conv.parameters());

    follow("conv2d+" + c.get("optimizer").asText(), c, opt, conv.namedParameters(), () -> MseLoss.mseLoss(conv.forward(x), y));
  }

  private static void follow(String family, JsonNode c, Optimizer opt, Map<String, Parameter> params, Supplier<Tensor> lossFn) {
    double[] worst = WORST.computeIfAbsent(family, f -> new double[2]);
    JsonNode losses = c.get("loss");
    int steps = losses.size();
    assertThat(steps).isGreaterThanOrEqualTo(100);
    Map<String, Tensor> expected = new LinkedHashMap<>();
    params.keySet().forEach(name -> expected.put(name, Fixtures.tensor(c.get("trajectory").get(name))));
    for (int step = 0; step < steps; step++) {
      opt.zeroGrad();
      Tensor loss = lossFn.get();
      check(worst, "loss", step, new double[] {loss.item()}, 0, new double[] {losses.get(step).asDouble()});
      loss.backward();
      opt.step();
      for (Map.Entry<String, Parameter> p : params.entrySet()) {
        Tensor e = expected.get(p.getKey());
        int n = p.getValue().numel();
        assertThat(e.numel()).isEqualTo(steps * n);
        check(worst, p.getKey() + " " + Shapes.format(p.getValue().shape()), step, p.getValue().buffer(), step * n,
            e.buffer());
      }
      worst[1]++;
    }
  }

  private static void check(double[] worst, String what, int step, double[] actual, int offset, double[] expected) {
    for (int k = 0; k < actual.length; k++) {
      double e = expected[offset + k];
      double diff = Math.abs(actual[k] - e);
      double rel = diff / Math.max(Math.abs(e), FLOOR);
      worst[0] = Math.max(worst[0], rel);
      if (!(rel <= TOL)) {
        throw new AssertionError(String.format(Locale.ROOT,
            "%s after step %d, element %d: torch %.17g, streamgrad %.17g (relative %.3g > %.1g)",
            what, step + 1, k, e, actual[k], rel, TOL));
      }
    }
  }

  @Test
  void fixturesCoverEveryOptionOverEnoughSteps() {
    String all = Fixtures.load("optim/sgd.json").toString() + Fixtures.load("optim/adam.json");
    for (String option : new String[] {"momentum", "dampening", "weight_decay", "nesterov", "maximize", "betas",
        "eps", "amsgrad"}) {
      assertThat(all).as(option).contains("\"" + option + "\"");
    }
    assertThat(Fixtures.load("optim/sgd.json").get("steps").asInt()).isGreaterThanOrEqualTo(100);
  }
}
