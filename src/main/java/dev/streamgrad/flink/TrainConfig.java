package dev.streamgrad.flink;

import java.io.Serializable;

/**
 * A job spec's {@code train} section: loss (mse only), optimizer, mini-batch size (1: one update
 * per record, as the tutorial's loop) and how many updates between two filter snapshots.
 */
public final class TrainConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OptimizerConfig optimizer;
  private final int batchSize;
  private final int snapshotEvery;

  public TrainConfig(OptimizerConfig optimizer, int batchSize, int snapshotEvery) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    if (snapshotEvery < 1) {
      throw new IllegalArgumentException("snapshotEvery must be at least 1, got " + snapshotEvery);
    }
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.snapshotEvery = snapshotEvery;
  }

  public OptimizerConfig optimizer() {
    return optimizer;
  }

  public int batchSize() {
    return batchSize;
  }

  public int snapshotEvery() {
    return snapshotEvery;
  }

  @Override
  public String toString() {
    return "train(mse, " + optimizer + ", batchSize=" + batchSize + ", snapshotEvery=" + snapshotEvery + ")";
  }
}
