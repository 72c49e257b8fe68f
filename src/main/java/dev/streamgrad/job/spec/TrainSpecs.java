package dev.streamgrad.job.spec;

import dev.streamgrad.flink.GradClip;
import dev.streamgrad.flink.LossGuard;
import dev.streamgrad.flink.OptimizerConfig;
import dev.streamgrad.flink.TrainConfig;

/** Reads the {@code train} section; defaults are {@code torch.optim}'s. */
final class TrainSpecs {
  private TrainSpecs() {}

  static TrainConfig read(Section s) throws SpecException {
    s.allow("loss", "optimizer", "batchSize", "snapshotEvery", "clipGradNorm", "lossGuard");
    s.choice("loss", "mse", "mse");
    OptimizerConfig optimizer = optimizer(s.requiredSection("optimizer"));
    int batchSize = s.intValue("batchSize", 1, 1);
    int snapshotEvery = s.intValue("snapshotEvery", 1000, 1);
    return new TrainConfig(optimizer, batchSize, snapshotEvery, clip(s.section("clipGradNorm")),
        lossGuard(s.section("lossGuard")));
  }

  /**
   * {@code clipGradNorm: {maxNorm, normType}}: torch.nn.utils.clip_grad_norm_'s arguments (normType 2
   * by default, {@code inf} for the largest absolute value).
   */
  private static GradClip clip(Section c) throws SpecException {
    if (c == null) {
      return null;
    }
    c.allow("maxNorm", "normType");
    if (!c.has("maxNorm")) {
      throw c.error("maxNorm", "missing (required for clipGradNorm)");
    }
    double maxNorm = c.positive("maxNorm", 0);
    if (Double.isInfinite(maxNorm)) {
      throw c.error("maxNorm", "must be finite, got " + maxNorm);
    }
    // torch takes norm_type=float('inf') for the largest absolute value: here the word inf
    String word = c.has("normType") ? c.string("normType", "2") : "2";
    double normType = word.equals("inf") ? Double.POSITIVE_INFINITY : c.number("normType", 2);
    if (!(normType >= 1)) {
      throw c.error("normType", "must be at least 1, or inf, got " + Section.format(normType));
    }
    return new GradClip(maxNorm, normType);
  }

  /** {@code lossGuard: {factor, window, minRecords, patience}} (see {@link LossGuard}). */
  private static LossGuard lossGuard(Section g) throws SpecException {
    if (g == null) {
      return null;
    }
    g.allow("factor", "window", "minRecords", "patience");
    double factor = g.number("factor", 100);
    if (!(factor > 1) || Double.isInfinite(factor)) {
      throw g.error("factor", "must be a finite number above 1, got " + Section.format(factor));
    }
    int window = g.intValue("window", 100, 1);
    int minRecords = g.intValue("minRecords", Math.min(10, window), 1);
    if (minRecords > window) {
      throw g.error("minRecords", "must be at most window (" + window + "), got " + minRecords);
    }
    return new LossGuard(factor, window, minRecords, g.intValue("patience", 10, 1));
  }

  private static OptimizerConfig optimizer(Section o) throws SpecException {
    String type = o.choice("type", null, "sgd", "adam");
    if (type.equals("sgd")) {
      o.allow("type", "lr", "momentum", "dampening", "nesterov", "weightDecay");
      if (!o.has("lr")) {
        throw o.error("lr", "missing (required for sgd)");
      }
      double lr = o.positive("lr", 0);
      double momentum = o.nonNegative("momentum", 0);
      double dampening = o.number("dampening", 0);
      boolean nesterov = o.bool("nesterov", false);
      if (nesterov && (momentum <= 0 || dampening != 0)) {
        throw o.error("nesterov", "needs momentum > 0 and dampening 0 (as torch.optim.SGD), got momentum "
            + Section.format(momentum) + ", dampening " + Section.format(dampening));
      }
      return OptimizerConfig.sgd(lr, momentum, dampening, o.nonNegative("weightDecay", 0), nesterov);
    }
    o.allow("type", "lr", "betas", "eps", "weightDecay", "amsgrad");
    double lr = o.positive("lr", 1e-3);
    double[] betas = o.numbers("betas", 2, new double[] {0.9, 0.999});
    for (double b : betas) {
      if (b < 0 || b >= 1) {
        throw o.error("betas", "each must be in [0, 1), got [" + Section.format(betas[0]) + ", "
            + Section.format(betas[1]) + "]");
      }
    }
    double beta1 = betas[0];
    double beta2 = betas[1];
    return OptimizerConfig.adam(lr, beta1, beta2, o.nonNegative("eps", 1e-8), o.nonNegative("weightDecay", 0),
        o.bool("amsgrad", false));
  }

}
