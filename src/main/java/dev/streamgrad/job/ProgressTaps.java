package dev.streamgrad.job;

import dev.streamgrad.avro.FilterSnapshot;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Pass-through maps that report to the embedded run's {@link Progress}. Stateless and chained to
 * their neighbours, so they neither reorder records nor change what a savepoint holds.
 */
final class ProgressTaps {
  private ProgressTaps() {}

  /** Which counter a {@link Count} tap increments. */
  enum Counter {
    IN,
    OUT,
    DEAD
  }

  static final class Count<T> implements MapFunction<T, T> {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private final Counter counter;
    private transient Progress progress;
    private transient boolean looked;

    Count(String runId, Counter counter) {
      this.runId = runId;
      this.counter = counter;
    }

    @Override
    public T map(T value) {
      if (!looked) {
        progress = Progress.of(runId);
        looked = true;
      }
      if (progress != null) {
        (counter == Counter.IN ? progress.recordsIn : counter == Counter.OUT ? progress.recordsOut
            : progress.deadLetters).increment();
      }
      return value;
    }
  }

  static final class Snapshots implements MapFunction<FilterSnapshot, FilterSnapshot> {
    private static final long serialVersionUID = 1L;
    private final String runId;
    private transient Progress progress;
    private transient boolean looked;

    Snapshots(String runId) {
      this.runId = runId;
    }

    @Override
    public FilterSnapshot map(FilterSnapshot value) {
      if (!looked) {
        progress = Progress.of(runId);
        looked = true;
      }
      if (progress != null) {
        progress.snapshot(value);
      }
      return value;
    }
  }
}
