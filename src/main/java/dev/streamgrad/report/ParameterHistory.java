package dev.streamgrad.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One parameter of a model across its snapshots: its shape (the newest snapshot's) and its values,
 * row-major, at each version. A snapshot whose parameter has another shape (a changed spec
 * appended to the same folder) is left out of this history and counted in {@link #skipped()}.
 */
public final class ParameterHistory {
  private final String name;
  private final int[] shape;
  private final List<Long> versions = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();
  private int skipped;

  ParameterHistory(String name, int[] shape) {
    this.name = name;
    this.shape = shape.clone();
  }

  void add(long version, int[] shapeThere, double[] valuesThere) {
    if (!Arrays.equals(shape, shapeThere)) {
      skipped++;
      return;
    }
    versions.add(version);
    values.add(valuesThere.clone());
  }

  public String name() {
    return name;
  }

  public int[] shape() {
    return shape.clone();
  }

  /** Elements per version. */
  public int numel() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  public List<Long> versions() {
    return List.copyOf(versions);
  }

  /** The values at the i-th version of {@link #versions()}, row-major (a copy). */
  public double[] valuesAt(int i) {
    return values.get(i).clone();
  }

  /** Snapshots left out because the parameter had another shape there. */
  public int skipped() {
    return skipped;
  }
}
