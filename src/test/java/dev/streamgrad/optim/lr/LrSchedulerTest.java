package dev.streamgrad.optim.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.optim.Adam;
import dev.streamgrad.optim.Optimizer;
import dev.streamgrad.optim.Sgd;
import dev.streamgrad.testing.Fixtures;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schedulers against torch.optim.lr_scheduler (fixtures/lr, made by
 * src/test/python/gen_lr_scheduler_fixtures.py with PyTorch 1.13): every lr of every epoch bit for
 * bit, the state torch's state_dict holds, resuming from a state taken mid-way, and conv2d training
 * with SGD/Adam under a schedule (resumed from saved state a third of the way in): every lr bit for
 * bit, every parameter after every step to 1e-12.
 */
class LrSchedulerTest {
  static Stream<JsonNode> schedules() {
    return Fixtures.cases("lr/schedulers.json").stream();
  }

  static Stream<JsonNode> trainings() {
    return Fixtures.cases("lr/training.json").stream();
  }

  static LrScheduler scheduler(String name, JsonNode kw, Optimizer opt) {
    switch (name) {
      case "StepLR":
        return new StepLr(opt, kw.get("step_size").asLong(), kw.path("gamma").asDouble(0.1));
      case "ExponentialLR":
        return new ExponentialLr(opt, kw.get("gamma").asDouble());
      case "CosineAnnealingLR":
        return new CosineAnnealingLr(opt, kw.get("T_max").asLong(), kw.path("eta_min").asDouble(0));
      case "MultiStepLR": {
        long[] milestones = new long[kw.get("milestones").size()];
        for (int i = 0; i < milestones.length; i++) {
          milestones[i] = kw.get("milestones").get(i).asLong();
        }
        return new MultiStepLr(opt, milestones, kw.path("gamma").asDouble(0.1));
      }
      case "LinearLR":
        return kw.isEmpty() ? new LinearLr(opt)
            : new LinearLr(opt, kw.path("start_factor").asDouble(1.0 / 3), kw.path("end_factor").asDouble(1.0),
                kw.path("total_iters").asLong(5));
      default:
        throw new IllegalArgumentException(name);
    }
  }

  private static Sgd oneParamSgd(double lr) {
    return new Sgd(List.of(new Parameter(Tensor.zeros(2))), lr);
  }

  private static void assertBits(String what, double expected, double actual) {
    if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(actual)) {
      throw new AssertionError(String.format(Locale.ROOT, "%s: torch %.17g, streamgrad %.17g", what, expected, actual));
    }
  }

  /**
   * Training is held to the optimizer trajectory tests' bound: relative 1e-12, values under 1e-3 in
   * magnitude to 1e-15 absolute. The lr itself must match bit for bit; the rest differs from torch
   * only by the conv2d gradient's summation order (an ulp now and then).
   */
  private static void assertClose(String what, double expected, double actual) {
    double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-3);
    if (!(rel <= 1e-12)) {
      throw new AssertionError(String.format(Locale.ROOT, "%s: torch %.17g, streamgrad %.17g (relative %.3g > 1e-12)",
          what, expected, actual, rel));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void everyEpochEqualsTorchBitForBit(JsonNode c) {
    Sgd opt = oneParamSgd(c.get("lr").asDouble());
    LrScheduler s = scheduler(c.get("scheduler").asText(), c.get("kwargs"), opt);
    JsonNode lrs = c.get("lrs");
    assertBits("lr after construction", lrs.get(0).asDouble(), opt.lr());
    for (int epoch = 1; epoch < lrs.size(); epoch++) {
      s.step();
      assertBits(c.get("scheduler").asText() + " epoch " + epoch, lrs.get(epoch).asDouble(), s.lastLr());
      assertThat(opt.lr()).isEqualTo(s.lastLr());
    }
    JsonNode state = c.get("state");
    SchedulerState mine = s.stateDict();
    assertThat(mine.lastEpoch()).isEqualTo(state.get("last_epoch").asLong());
    assertThat(mine.stepCount()).isEqualTo(state.get("_step_count").asLong());
    assertBits("base_lrs", state.get("base_lrs").get(0).asDouble(), mine.baseLr());
    assertBits("_last_lr", state.get("_last_lr").get(0).asDouble(), mine.lastLr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void resumingFromAStateMidwayGivesTheSameRates(JsonNode c) {
    JsonNode lrs = c.get("lrs");
    int cut = lrs.size() / 2;
    Sgd first = oneParamSgd(c.get("lr").asDouble());
    LrScheduler s1 = scheduler(c.get("scheduler").asText(), c.get("kwargs"), first);
    for (int epoch = 1; epoch <= cut; epoch++) {
      s1.step();
    }
    SchedulerState saved = s1.stateDict();
    // a restarted job: a fresh optimizer with the configured lr, a fresh scheduler, then the state
    Sgd second = oneParamSgd(c.get("lr").asDouble());
    LrScheduler s2 = scheduler(c.get("scheduler").asText(), c.get("kwargs"), second);
    s2.loadStateDict(new SchedulerState(saved.lastEpoch(), saved.stepCount(), saved.baseLr(), saved.lastLr()));
    assertBits("lr after load", lrs.get(cut).asDouble(), second.lr());
    for (int epoch = cut + 1; epoch < lrs.size(); epoch++) {
      s2.step();
      assertBits("resumed epoch " + epoch, lrs.get(epoch).asDouble(), second.lr());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trainings")
  void conv2dTrainingUnderAScheduleFollowsTorch(JsonNode c) {
    int steps = c.get("loss").size();
    int cut = steps / 3;
    Conv2d conv = newConv(c);
    Optimizer opt = optimizer(c, conv.parameters());
    LrScheduler sched = scheduler(c.get("scheduler").asText(), c.get("kwargs"), opt);
    Tensor x = Fixtures.tensor(c.get("x"));
    Tensor y = Fixtures.tensor(c.get("y"));
    for (int step = 0; step < steps; step++) {
      if (step == cut) {
        // resume mid-way: parameters, optimizer buffers and scheduler state into fresh objects
        Map<String, double[]> optState = opt.stateDict();
        SchedulerState schedState = sched.stateDict();
        Parameter f = conv.namedParameters().get("filter");
        Parameter b = conv.namedParameters().get("bias");
        conv = new Conv2d(Tensor.wrap(f.buffer().clone(), f.shape()), Tensor.wrap(b.buffer().clone(), b.shape()));
        opt = optimizer(c, conv.parameters());
        opt.loadStateDict(optState);
        sched = scheduler(c.get("scheduler").asText(), c.get("kwargs"), opt);
        sched.loadStateDict(schedState);
      }
      opt.zeroGrad();
      Tensor loss = MseLoss.mseLoss(conv.forward(x), y);
      assertClose("loss before step " + (step + 1), c.get("loss").get(step).asDouble(), loss.item());
      assertBits("lr of step " + (step + 1), c.get("lr").get(step).asDouble(), opt.lr());
      loss.backward();
      opt.step();
      sched.step();
      for (String name : new String[] {"filter", "bias"}) {
        double[] actual = conv.namedParameters().get(name).buffer();
        double[] expected = Fixtures.tensor(c.get("trajectory").get(name).get(step)).buffer();
        for (int k = 0; k < actual.length; k++) {
          assertClose(name + " element " + k + " after step " + (step + 1), expected[k], actual[k]);
        }
      }
    }
  }

  private static Conv2d newConv(JsonNode c) {
    return new Conv2d(Fixtures.tensor(c.get("init").get("filter")), Fixtures.tensor(c.get("init").get("bias")));
  }

  private static Optimizer optimizer(JsonNode c, List<Parameter> params) {
    JsonNode cfg = c.get("config");
    double lr = cfg.get("lr").asDouble();
    if (c.get("optimizer").asText().equals("sgd")) {
      return new Sgd(params, lr, cfg.path("momentum").asDouble(0), 0, cfg.path("weight_decay").asDouble(0),
          cfg.path("nesterov").asBoolean(false), false);
    }
    return new Adam(params, lr, 0.9, 0.999, 1e-8, cfg.path("weight_decay").asDouble(0),
        cfg.path("amsgrad").asBoolean(false), false);
  }

  @Test
  void fixturesCoverEveryScheduler() {
    String all = Fixtures.load("lr/schedulers.json").toString();
    for (String name : new String[] {"StepLR", "ExponentialLR", "CosineAnnealingLR", "MultiStepLR", "LinearLR"}) {
      assertThat(all).contains("\"" + name + "\"");
    }
    assertThat(Fixtures.load("lr/training.json").toString()).contains("\"sgd\"", "\"adam\"");
  }

  @Test
  void setLrChangesTheNextStepOnly() {
    Parameter w = new Parameter(Tensor.wrap(new double[] {1.0}, 1));
    Sgd sgd = new Sgd(List.of(w), 0.5);
    w.setGrad(Tensor.wrap(new double[] {1.0}, 1));
    sgd.step();
    assertThat(w.buffer()[0]).isEqualTo(0.5);
    sgd.setLr(0.25);
    sgd.step();
    assertThat(w.buffer()[0]).isEqualTo(0.25);
    assertThatThrownBy(() -> sgd.setLr(-1)).hasMessage("Invalid learning rate value: -1.0");
    assertThatThrownBy(() -> sgd.setLr(Double.NaN)).hasMessage("Invalid learning rate value: NaN");
  }

  @Test
  void badArgumentsAreRejectedWithTheirName() {
    Sgd opt = oneParamSgd(0.1);
    assertThatThrownBy(() -> new StepLr(opt, 0)).hasMessage("step_size must be a positive integer, got 0");
    assertThatThrownBy(() -> new StepLr(opt, 3, Double.NaN)).hasMessage("gamma must be finite and >= 0, got NaN");
    assertThatThrownBy(() -> new ExponentialLr(opt, -0.5)).hasMessage("gamma must be finite and >= 0, got -0.5");
    assertThatThrownBy(() -> new CosineAnnealingLr(opt, 0)).hasMessage("T_max must be a positive integer, got 0");
    assertThatThrownBy(() -> new CosineAnnealingLr(opt, 5, Double.POSITIVE_INFINITY))
        .hasMessage("eta_min must be finite, got Infinity");
    assertThatThrownBy(() -> new MultiStepLr(opt, new long[] {3, -1})).hasMessage("milestones must be >= 0, got -1");
    assertThatThrownBy(() -> new LinearLr(opt, 1.5, 1.0, 5)).hasMessageStartingWith("Starting multiplicative factor");
    assertThatThrownBy(() -> new LinearLr(opt, 0, 1.0, 5)).hasMessageStartingWith("Starting multiplicative factor");
    assertThatThrownBy(() -> new LinearLr(opt, 0.5, -0.1, 5)).hasMessageStartingWith("Ending multiplicative factor");
    assertThatThrownBy(() -> new LinearLr(opt, 0.5, 1.0, 0)).hasMessage("total_iters must be a positive integer, got 0");
    assertThatThrownBy(() -> new SchedulerState(-1, 1, 0.1, 0.1)).hasMessageContaining("last_epoch must be >= 0");
    assertThatThrownBy(() -> new SchedulerState(3, 4, 0.1, Double.NaN)).hasMessageContaining("last lr");
    // a failed construction leaves the optimizer's lr alone
    assertThat(opt.lr()).isEqualTo(0.1);
  }
}
