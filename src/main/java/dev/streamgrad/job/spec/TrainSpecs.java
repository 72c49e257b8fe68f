package dev.streamgrad.job.spec;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.drift.DetectorSpec;
import dev.streamgrad.flink.DriftConfig;
import dev.streamgrad.flink.EvaluationConfig;
import dev.streamgrad.flink.GradClip;
import dev.streamgrad.flink.LossGuard;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.optim.lr.LrScheduleSpec;
import java.time.Duration;

/** Reads the {@code train} section; defaults are {@code torch.optim}'s ({@code init} is {@link InitSpecs}'s). */
final class TrainSpecs {
  private TrainSpecs() {}

  static TrainConfig read(Section s) throws SpecException {
    s.allow("loss", "optimizer", "batchSize", "snapshotEvery", "clipGradNorm", "lossGuard", "lrSchedule",
        "evaluation", "drift", "init");
    s.choice("loss", "mse", "mse");
    OptimizerSpec optimizer = OptimizerSpec.read(s.requiredSection("optimizer"));
    int batchSize = s.intValue("batchSize", 1, 1);
    int snapshotEvery = s.intValue("snapshotEvery", 1000, 1);
    Section schedule = s.section("lrSchedule");
    return new TrainConfig(optimizer, batchSize, snapshotEvery, clip(s.section("clipGradNorm")),
        lossGuard(s.section("lossGuard")), schedule == null ? null : LrScheduleSpec.read(schedule),
        evaluation(s.section("evaluation")), drift(s.section("drift")));
  }

  /** {@code evaluation: {window, eventTimeWindow, holdoutEvery}} (see {@link EvaluationConfig}). */
  private static EvaluationConfig evaluation(Section e) throws SpecException {
    if (e == null) {
      return EvaluationConfig.DEFAULT;
    }
    e.allow("window", "eventTimeWindow", "holdoutEvery");
    EvaluationConfig d = EvaluationConfig.DEFAULT;
    int window = e.intValue("window", d.window(), 1);
    Duration time = e.duration("eventTimeWindow", Duration.ofMillis(d.eventTimeWindowMillis()));
    int holdoutEvery = e.intValue("holdoutEvery", 0, 0);
    if (holdoutEvery == 1) {
      throw e.error("holdoutEvery", "must be 0 (no holdout) or at least 2 (1 would hold out every record), got 1");
    }
    return new EvaluationConfig(window, time.toMillis(), holdoutEvery);
  }

  /**
   * {@code drift: {detector, <the detector's parameters>, reaction, events}}; {@code events} (the
   * drift events' sink) is read by {@link JobSpecParser}.
   */
  private static DriftConfig drift(Section d) throws SpecException {
    if (d == null) {
      return null;
    }
    DetectorSpec detector = DetectorSpec.read(d, "reaction", "events");
    String reaction = d.choice("reaction", "none", "none", "reset-optimizer");
    return new DriftConfig(detector, reaction.equals("reset-optimizer"));
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
}
