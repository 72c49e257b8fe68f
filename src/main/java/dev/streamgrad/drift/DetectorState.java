package dev.streamgrad.drift;

import java.util.Arrays;

/**
 * A drift detector's whole state as two plain arrays, for checkpointed operator state (no Java
 * serialization): the detector's {@code snapshot()} fills them in a layout its {@code restore}
 * documents and checks. The arrays are copies; changing them changes no detector.
 *
 * @param counts the integer part (counters, flags, sizes)
 * @param values the floating-point part (sums, means, bucket contents)
 */
public record DetectorState(long[] counts, double[] values) {
  public DetectorState {
    if (counts == null || values == null) {
      throw new IllegalArgumentException("detector state needs both arrays, got counts " + counts + " and values " + values);
    }
    counts = counts.clone();
    values = values.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DetectorState s && Arrays.equals(counts, s.counts) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(counts) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "DetectorState[counts=" + Arrays.toString(counts) + ", values=" + Arrays.toString(values) + "]";
  }
}
