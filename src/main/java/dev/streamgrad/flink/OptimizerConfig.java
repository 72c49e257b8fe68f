package dev.streamgrad.flink;

import dev.streamgrad.nn.Parameter;
import dev.streamgrad.optim.Adam;
import dev.streamgrad.optim.Optimizer;
import dev.streamgrad.optim.Sgd;
import java.io.Serializable;
import java.util.List;

/**
 * The optimizer of a job spec's {@code train.optimizer} section, with {@code torch.optim}'s defaults
 * for every setting left out. Immutable; serializable because Flink ships it inside the trainer.
 */
public final class OptimizerConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The optimizer types a job spec may name. */
  public enum Type {
    SGD,
    ADAM
  }

  private final Type type;
  private final double lr;
  private final double momentum;
  private final double dampening;
  private final boolean nesterov;
  private final double weightDecay;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final boolean amsgrad;

  private OptimizerConfig(Type type, double lr, double momentum, double dampening, boolean nesterov,
      double weightDecay, double beta1, double beta2, double eps, boolean amsgrad) {
    this.type = type;
    this.lr = lr;
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.amsgrad = amsgrad;
  }

  /** {@code torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov)}. */
  public static OptimizerConfig sgd(double lr, double momentum, double dampening, double weightDecay,
      boolean nesterov) {
    return new OptimizerConfig(Type.SGD, lr, momentum, dampening, nesterov, weightDecay, 0.9, 0.999, 1e-8, false);
  }

  /** {@code torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad)}. */
  public static OptimizerConfig adam(double lr, double beta1, double beta2, double eps, double weightDecay,
      boolean amsgrad) {
    return new OptimizerConfig(Type.ADAM, lr, 0, 0, false, weightDecay, beta1, beta2, eps, amsgrad);
  }

  /** Creates the optimizer over {@code params}; invalid settings throw with the setting's name. */
  public Optimizer create(List<Parameter> params) {
    return type == Type.SGD
        ? new Sgd(params, lr, momentum, dampening, weightDecay, nesterov, false)
        : new Adam(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
  }

  public Type type() {
    return type;
  }

  public double lr() {
    return lr;
  }

  public double momentum() {
    return momentum;
  }

  public double dampening() {
    return dampening;
  }

  public boolean nesterov() {
    return nesterov;
  }

  public double weightDecay() {
    return weightDecay;
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double eps() {
    return eps;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  public String toString() {
    return type == Type.SGD
        ? "sgd(lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening + ", weightDecay=" + weightDecay
            + ", nesterov=" + nesterov + ")"
        : "adam(lr=" + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay=" + weightDecay
            + ", amsgrad=" + amsgrad + ")";
  }
}
