package dev.streamgrad.job.spec;

import java.time.Duration;

/**
 * {@code checkpoints: {interval, dir, backend}}: exactly-once checkpoints every {@code interval}
 * into {@code dir} (savepoints taken by {@code run} on Ctrl-C go to {@code dir/savepoints}), with
 * the {@code hashmap} (heap) or {@code rocksdb} state backend.
 */
public record CheckpointSpec(Duration interval, String dir, String backend) {
  /** Defaults used when the spec has no {@code checkpoints} section but its source is unbounded. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
}
