package dev.streamgrad.flink;

import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.optim.lr.LrScheduleSpec;
import java.io.Serializable;

/**
 * A job spec's {@code train} section: loss (mse only), optimizer, mini-batch size (1: one update
 * per record, as the tutorial's loop), how many updates between two filter snapshots, and the
 * optional guards against a record that would wreck the model ({@link GradClip}, {@link LossGuard}),
 * the learning-rate schedule ({@link LrScheduleSpec}, stepped once per optimizer update), the
 * evaluation ({@link EvaluationConfig}, always on, with defaults) and the drift detector
 * ({@link DriftConfig}, optional).
 */
public final class TrainConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OptimizerSpec optimizer;
  private final int batchSize;
  private final int snapshotEvery;
  private final GradClip clip;
  private final LossGuard lossGuard;
  private final LrScheduleSpec lrSchedule;
  private final EvaluationConfig evaluation;
  private final DriftConfig drift;

  /** Training without guards: every update is PyTorch's, exactly. */
  public TrainConfig(OptimizerSpec optimizer, int batchSize, int snapshotEvery) {
    this(optimizer, batchSize, snapshotEvery, null, null);
  }

  /**
   * @param clip gradient-norm clipping before each step, or null
   * @param lossGuard the loss-spike guard, or null
   */
  public TrainConfig(OptimizerSpec optimizer, int batchSize, int snapshotEvery, GradClip clip, LossGuard lossGuard) {
    this(optimizer, batchSize, snapshotEvery, clip, lossGuard, null, EvaluationConfig.DEFAULT, null);
  }

  /**
   * @param lrSchedule the learning-rate schedule, or null for a constant rate
   * @param evaluation how models are scored on the stream
   * @param drift the drift detector on the prequential loss, or null
   */
  public TrainConfig(OptimizerSpec optimizer, int batchSize, int snapshotEvery, GradClip clip, LossGuard lossGuard,
      LrScheduleSpec lrSchedule, EvaluationConfig evaluation, DriftConfig drift) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("snapshotEvery must be at least 1, got " + snapshotEvery);
    }
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.snapshotEvery = snapshotEvery;
    this.clip = clip;
    this.lossGuard = lossGuard;
    this.lrSchedule = lrSchedule;
    this.evaluation = evaluation == null ? EvaluationConfig.DEFAULT : evaluation;
    this.drift = drift;
  }

  /** This configuration with the learning-rate schedule {@code s} (null: none). */
  public TrainConfig withLrSchedule(LrScheduleSpec s) {
    return new TrainConfig(optimizer, batchSize, snapshotEvery, clip, lossGuard, s, evaluation, drift);
  }

  /** This configuration with the evaluation {@code e}. */
  public TrainConfig withEvaluation(EvaluationConfig e) {
    return new TrainConfig(optimizer, batchSize, snapshotEvery, clip, lossGuard, lrSchedule, e, drift);
  }

  /** This configuration with the drift detector {@code d} (null: none). */
  public TrainConfig withDrift(DriftConfig d) {
    return new TrainConfig(optimizer, batchSize, snapshotEvery, clip, lossGuard, lrSchedule, evaluation, d);
  }

  public OptimizerSpec optimizer() {
    return optimizer;
  }

  public int batchSize() {
    return batchSize;
  }

  public int snapshotEvery() {
    return snapshotEvery;
  }

  /** Gradient-norm clipping, or null. */
  public GradClip clip() {
    return clip;
  }

  /** The loss-spike guard, or null. */
  public LossGuard lossGuard() {
    return lossGuard;
  }

  /** The learning-rate schedule, or null. */
  public LrScheduleSpec lrSchedule() {
    return lrSchedule;
  }

  public EvaluationConfig evaluation() {
    return evaluation;
  }

  /** The drift detector, or null. */
  public DriftConfig drift() {
    return drift;
  }

  @Override
  public String toString() {
    return "train(mse, " + optimizer + ", batchSize=" + batchSize + ", snapshotEvery=" + snapshotEvery
        + (clip == null ? "" : ", " + clip) + (lossGuard == null ? "" : ", " + lossGuard)
        + (lrSchedule == null ? "" : ", lrSchedule=" + lrSchedule) + (drift == null ? "" : ", " + drift) + ")";
  }
}
