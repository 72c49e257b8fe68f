package dev.streamgrad.flink;

import java.util.HashMap;
import java.util.Map;

/**
 * The mean of the last {@code window} values added under each name (e.g. per model), for gauges.
 * Not state: a subtask starts afresh after a restore.
 */
final class RecentMeans {
  private final int window;
  private final Map<String, Ring> rings = new HashMap<>();

  private static final class Ring {
    final double[] values;
    int next;
    int size;
    double sum;

    Ring(int window) {
      values = new double[window];
    }
  }

  RecentMeans(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    this.window = window;
  }

  /** Adds {@code value} under {@code name}; returns the mean of that name's last {@code window} values. */
  double add(String name, double value) {
    Ring r = rings.computeIfAbsent(name, k -> new Ring(window));
    if (r.size == window) {
      r.sum -= r.values[r.next];
    } else {
      r.size++;
    }
    r.values[r.next] = value;
    r.sum += value;
    r.next = (r.next + 1) % window;
    if (r.next == 0) {
      // re-sum once per lap, so that rounding errors of the running sum do not accumulate
      r.sum = 0;
      for (int i = 0; i < r.size; i++) {
        r.sum += r.values[i];
      }
    }
    return r.sum / r.size;
  }
}
