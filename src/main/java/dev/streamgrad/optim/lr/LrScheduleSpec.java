package dev.streamgrad.optim.lr;

import dev.streamgrad.config.Param;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.optim.Optimizer;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A job spec's {@code train.lrSchedule}: which {@code torch.optim.lr_scheduler} to run and its
 * arguments, declared once per member ({@link Param}: key, torch's default, check). Immutable;
 * serializable because Flink ships it inside the trainer. {@link #create} makes the scheduler on an
 * optimizer (performing torch's initial step), after which a caller steps it once per optimizer step.
 */
public sealed interface LrScheduleSpec extends Serializable {
  /** The name specs use in {@code type}. */
  String type();

  /** The scheduler over {@code optimizer}, as torch's constructor with {@code last_epoch=-1}. */
  LrScheduler create(Optimizer optimizer);

  /** Reads {@code train.lrSchedule}: {@code type} picks the member, which reads its own keys. */
  static LrScheduleSpec read(Section s) throws SpecException {
    String type = s.choice("type", null, "step", "multistep", "exponential", "cosine", "linear");
    switch (type) {
      case "step":
        s.allow(Param.keys("type", Step.PARAMS));
        return new Step(Step.STEP_SIZE.read(s), Step.GAMMA.read(s));
      case "multistep":
        s.allow(Param.keys("type", MultiStep.PARAMS));
        return new MultiStep(MultiStep.MILESTONES.read(s), MultiStep.GAMMA.read(s));
      case "exponential":
        s.allow(Param.keys("type", Exponential.PARAMS));
        return new Exponential(Exponential.GAMMA.read(s));
      case "cosine":
        s.allow(Param.keys("type", Cosine.PARAMS));
        return new Cosine(Cosine.T_MAX.read(s), Cosine.ETA_MIN.read(s));
      default:
        s.allow(Param.keys("type", Linear.PARAMS));
        return new Linear(Linear.START_FACTOR.read(s), Linear.END_FACTOR.read(s), Linear.TOTAL_ITERS.read(s));
    }
  }

  /** {@code type: step}: {@code StepLR(step_size, gamma=0.1)}. */
  record Step(long stepSize, double gamma) implements LrScheduleSpec {
    public static final Param<Long> STEP_SIZE = Param.integer("stepSize", "epochs (updates) between two decays", null,
        1);
    public static final Param<Double> GAMMA = Param.number("gamma", "multiplicative factor of the decay", 0.1,
        Param.atLeast(0));
    public static final List<Param<?>> PARAMS = List.of(STEP_SIZE, GAMMA);

    @Override
    public String type() {
      return "step";
    }

    @Override
    public LrScheduler create(Optimizer optimizer) {
      return new StepLr(optimizer, stepSize, gamma);
    }
  }

  /** {@code type: multistep}: {@code MultiStepLR(milestones, gamma=0.1)}. */
  record MultiStep(long[] milestones, double gamma) implements LrScheduleSpec {
    public static final Param<long[]> MILESTONES = Param.integers("milestones", "epochs (updates) at which to decay",
        0);
    public static final Param<Double> GAMMA = Param.number("gamma", "multiplicative factor of the decay", 0.1,
        Param.atLeast(0));
    public static final List<Param<?>> PARAMS = List.of(MILESTONES, GAMMA);

    public MultiStep {
      milestones = milestones.clone();
    }

    @Override
    public long[] milestones() {
      return milestones.clone();
    }

    @Override
    public String type() {
      return "multistep";
    }

    @Override
    public LrScheduler create(Optimizer optimizer) {
      return new MultiStepLr(optimizer, milestones, gamma);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MultiStep m && Arrays.equals(milestones, m.milestones) && gamma == m.gamma;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(milestones) * 31 + Double.hashCode(gamma);
    }

    @Override
    public String toString() {
      return "MultiStep[milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma + "]";
    }
  }

  /** {@code type: exponential}: {@code ExponentialLR(gamma)}. */
  record Exponential(double gamma) implements LrScheduleSpec {
    public static final Param<Double> GAMMA = Param.number("gamma", "multiplicative factor per epoch (update)", null,
        Param.atLeast(0));
    public static final List<Param<?>> PARAMS = List.of(GAMMA);

    @Override
    public String type() {
      return "exponential";
    }

    @Override
    public LrScheduler create(Optimizer optimizer) {
      return new ExponentialLr(optimizer, gamma);
    }
  }

  /** {@code type: cosine}: {@code CosineAnnealingLR(T_max, eta_min=0)}. */
  record Cosine(long tMax, double etaMin) implements LrScheduleSpec {
    public static final Param<Long> T_MAX = Param.integer("tMax", "epochs (updates) of the half period", null, 1);
    public static final Param<Double> ETA_MIN = Param.number("etaMin", "minimum learning rate", 0.0, Param.atLeast(0));
    public static final List<Param<?>> PARAMS = List.of(T_MAX, ETA_MIN);

    @Override
    public String type() {
      return "cosine";
    }

    @Override
    public LrScheduler create(Optimizer optimizer) {
      return new CosineAnnealingLr(optimizer, tMax, etaMin);
    }
  }

  /** {@code type: linear}: {@code LinearLR(start_factor=1/3, end_factor=1.0, total_iters=5)}. */
  record Linear(double startFactor, double endFactor, long totalIters) implements LrScheduleSpec {
    public static final Param<Double> START_FACTOR = Param.number("startFactor",
        "factor of the first epoch (update), in (0, 1]", 1.0 / 3, v -> v > 0 && v <= 1 ? null
            : "must be in (0, 1], got " + Section.format(v));
    public static final Param<Double> END_FACTOR = Param.number("endFactor", "factor after totalIters, in [0, 1]", 1.0,
        v -> v >= 0 && v <= 1 ? null : "must be in [0, 1], got " + Section.format(v));
    public static final Param<Long> TOTAL_ITERS = Param.integer("totalIters",
        "epochs (updates) until the factor reaches endFactor", 5L, 1);
    public static final List<Param<?>> PARAMS = List.of(START_FACTOR, END_FACTOR, TOTAL_ITERS);

    @Override
    public String type() {
      return "linear";
    }

    @Override
    public LrScheduler create(Optimizer optimizer) {
      return new LinearLr(optimizer, startFactor, endFactor, totalIters);
    }
  }
}
