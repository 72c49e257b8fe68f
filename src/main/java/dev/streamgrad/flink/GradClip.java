package dev.streamgrad.flink;

import java.io.Serializable;

/**
 * {@code train.clipGradNorm}: scales the gradients before each optimizer step so that their total
 * norm is at most {@code maxNorm}, exactly as {@code torch.nn.utils.clip_grad_norm_(params, maxNorm,
 * normType)}: the total norm is the {@code normType}-norm of the parameters' own norms, and every
 * gradient is multiplied by {@code min(1, maxNorm / (total + 1e-6))}.
 *
 * @param maxNorm the largest total norm, above 0
 * @param normType {@code p >= 1} of the p-norm, or {@code Double.POSITIVE_INFINITY} for the largest absolute value
 */
public record GradClip(double maxNorm, double normType) implements Serializable {
  public GradClip {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("maxNorm must be a finite number above 0, got " + maxNorm);
    }
    if (!(normType >= 1)) {
      throw new IllegalArgumentException("normType must be at least 1 (or inf), got " + normType);
    }
  }

  /**
   * Scales {@code grads} (each parameter's gradient, flat) in place.
   *
   * @return the total norm before clipping, as {@code clip_grad_norm_} returns it
   */
  public double clip(double[]... grads) {
    double[] norms = new double[grads.length];
    for (int p = 0; p < grads.length; p++) {
      norms[p] = norm(grads[p]);
    }
    double total = norm(norms);
    double coef = Math.min(maxNorm / (total + 1e-6), 1.0);
    for (double[] g : grads) {
      for (int k = 0; k < g.length; k++) {
        g[k] *= coef;
      }
    }
    return total;
  }

  private double norm(double[] v) {
    if (Double.isInfinite(normType)) {
      double max = 0;
      for (double x : v) {
        max = Math.max(max, Math.abs(x));
      }
      return max;
    }
    double sum = 0;
    if (normType == 2) {
      for (double x : v) {
        sum += x * x;
      }
      return Math.sqrt(sum);
    }
    for (double x : v) {
      sum += Math.pow(Math.abs(x), normType);
    }
    return Math.pow(sum, 1 / normType);
  }

  @Override
  public String toString() {
    return "clipGradNorm(maxNorm=" + maxNorm + ", normType=" + normType + ")";
  }
}
