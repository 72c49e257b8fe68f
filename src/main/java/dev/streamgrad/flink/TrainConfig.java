package dev.streamgrad.flink;

import dev.streamgrad.optim.OptimizerSpec;
import java.io.Serializable;

/**
 * A job spec's {@code train} section: loss (mse only), optimizer, mini-batch size (1: one update
 * per record, as the tutorial's loop), how many updates between two filter snapshots, and the
 * optional guards against a record that would wreck the model ({@link GradClip}, {@link LossGuard}).
 */
public final class TrainConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OptimizerSpec optimizer;
  private final int batchSize;
  private final int snapshotEvery;
  private final GradClip clip;
  private final LossGuard lossGuard;

  /** Training without guards: every update is PyTorch's, exactly. */
  public TrainConfig(OptimizerSpec optimizer, int batchSize, int snapshotEvery) {
    this(optimizer, batchSize, snapshotEvery, null, null);
  }

  /**
   * @param clip gradient-norm clipping before each step, or null
   * @param lossGuard the loss-spike guard, or null
   */
  public TrainConfig(OptimizerSpec optimizer, int batchSize, int snapshotEvery, GradClip clip, LossGuard lossGuard) {
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

  @Override
  public String toString() {
    return "train(mse, " + optimizer + ", batchSize=" + batchSize + ", snapshotEvery=" + snapshotEvery
        + (clip == null ? "" : ", " + clip) + (lossGuard == null ? "" : ", " + lossGuard) + ")";
  }
}
