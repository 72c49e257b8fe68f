package dev.streamgrad.optim;

import dev.streamgrad.config.Param;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.nn.Parameter;
import java.io.Serializable;
import java.util.List;

/**
 * A job spec's {@code train.optimizer}: the family of optimizers a spec can name, each with its
 * hyper-parameters declared once ({@link Param}: key, default as in {@code torch.optim}, check).
 * Adding an optimizer is adding one member here and its {@link Optimizer}. Immutable; serializable
 * because Flink ships it inside the trainer.
 */
public sealed interface OptimizerSpec extends Serializable {
  /** The name specs use in {@code type}. */
  String type();

  /** The optimizer over {@code params}, in their order (the order of its state dict's indices). */
  Optimizer create(List<Parameter> params);

  /** {@code torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov)}. */
  static OptimizerSpec sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
    return new SgdSpec(lr, momentum, dampening, weightDecay, nesterov);
  }

  /** {@code torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad)}. */
  static OptimizerSpec adam(double lr, double beta1, double beta2, double eps, double weightDecay,
      boolean amsgrad) {
    return new AdamSpec(lr, beta1, beta2, eps, weightDecay, amsgrad);
  }

  /** Reads {@code train.optimizer}: {@code type} picks the member, which reads its own keys. */
  static OptimizerSpec read(Section s) throws SpecException {
    String type = s.choice("type", null, "sgd", "adam");
    return type.equals("sgd") ? SgdSpec.read(s) : AdamSpec.read(s);
  }

  /** {@code type: sgd}. */
  record SgdSpec(double lr, double momentum, double dampening, double weightDecay, boolean nesterov)
      implements OptimizerSpec {
    public static final Param<Double> LR = Param.number("lr", "learning rate, required for sgd", null, Param.above(0));
    public static final Param<Double> MOMENTUM = Param.number("momentum", "momentum factor", 0.0, Param.atLeast(0));
    public static final Param<Double> DAMPENING = Param.number("dampening", "dampening for momentum", 0.0,
        Param.any());
    public static final Param<Double> WEIGHT_DECAY = Param.number("weightDecay", "L2 penalty", 0.0, Param.atLeast(0));
    public static final Param<Boolean> NESTEROV = Param.bool("nesterov", "Nesterov momentum", false);
    public static final List<Param<?>> PARAMS = List.of(LR, MOMENTUM, DAMPENING, NESTEROV, WEIGHT_DECAY);

    static SgdSpec read(Section s) throws SpecException {
      s.allow(Param.keys("type", PARAMS));
      SgdSpec o = new SgdSpec(LR.read(s), MOMENTUM.read(s), DAMPENING.read(s), WEIGHT_DECAY.read(s), NESTEROV.read(s));
      if (o.nesterov && (o.momentum <= 0 || o.dampening != 0)) {
        throw s.error("nesterov", "needs momentum > 0 and dampening 0 (as torch.optim.SGD), got momentum "
            + Section.format(o.momentum) + ", dampening " + Section.format(o.dampening));
      }
      return o;
    }

    @Override
    public String type() {
      return "sgd";
    }

    @Override
    public Optimizer create(List<Parameter> params) {
      return new Sgd(params, lr, momentum, dampening, weightDecay, nesterov, false);
    }

    @Override
    public String toString() {
      return "sgd(lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening + ", weightDecay="
          + weightDecay + ", nesterov=" + nesterov + ")";
    }
  }

  /** {@code type: adam}. */
  record AdamSpec(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad)
      implements OptimizerSpec {
    public static final Param<Double> LR = Param.number("lr", "learning rate", 1e-3, Param.above(0));
    public static final Param<double[]> BETAS = Param.numbers("betas", 2, "coefficients of the running averages",
        new double[] {0.9, 0.999}, b -> b[0] >= 0 && b[0] < 1 && b[1] >= 0 && b[1] < 1 ? null
            : "each must be in [0, 1), got [" + Section.format(b[0]) + ", " + Section.format(b[1]) + "]");
    public static final Param<Double> EPS = Param.number("eps", "term added to the denominator", 1e-8,
        Param.atLeast(0));
    public static final Param<Double> WEIGHT_DECAY = Param.number("weightDecay", "L2 penalty", 0.0, Param.atLeast(0));
    public static final Param<Boolean> AMSGRAD = Param.bool("amsgrad", "the AMSGrad variant", false);
    public static final List<Param<?>> PARAMS = List.of(LR, BETAS, EPS, WEIGHT_DECAY, AMSGRAD);

    static AdamSpec read(Section s) throws SpecException {
      s.allow(Param.keys("type", PARAMS));
      double[] betas = BETAS.read(s);
      return new AdamSpec(LR.read(s), betas[0], betas[1], EPS.read(s), WEIGHT_DECAY.read(s), AMSGRAD.read(s));
    }

    @Override
    public String type() {
      return "adam";
    }

    @Override
    public Optimizer create(List<Parameter> params) {
      return new Adam(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    @Override
    public String toString() {
      return "adam(lr=" + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay
          + ", amsgrad=" + amsgrad + ")";
    }
  }
}
