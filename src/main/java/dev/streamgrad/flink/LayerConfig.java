package dev.streamgrad.flink;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which layer an operator applies, as given by a job spec's {@code layer} section: its type, the
 * conv2d kernel size, and the initial filter, either drawn from a seed or given explicitly.
 * Immutable; serializable because Flink ships it inside the operator's function.
 */
public final class LayerConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The layer types a job spec may name. */
  public enum Type {
    FFT_MAGNITUDE("fft-magnitude"),
    BAD_FFT("bad-fft"),
    CONV2D("conv2d");

    private final String specName;

    Type(String specName) {
      this.specName = specName;
    }

    /** The name used in job specs, e.g. {@code fft-magnitude}. */
    public String specName() {
      return specName;
    }

    /** Parses a job spec name; throws with the accepted names when unknown. */
    public static Type fromSpecName(String name) {
      for (Type t : values()) {
        if (t.specName.equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown layer type '" + name + "' (expected one of fft-magnitude,"
          + " bad-fft, conv2d)");
    }
  }

  private final Type type;
  private final int kernelHeight;
  private final int kernelWidth;
  private final long seed;
  private final double[][] filter;
  private final double bias;

  private LayerConfig(Type type, int kernelHeight, int kernelWidth, long seed, double[][] filter, double bias) {
    this.type = type;
    this.kernelHeight = kernelHeight;
    this.kernelWidth = kernelWidth;
    this.seed = seed;
    this.filter = filter;
    this.bias = bias;
  }

  /** A parameter-less layer ({@code fft-magnitude} or {@code bad-fft}). */
  public static LayerConfig parameterless(Type type) {
    if (type == Type.CONV2D) {
      throw new IllegalArgumentException("conv2d needs a kernel and an initial filter");
    }
    return new LayerConfig(type, 0, 0, 0, null, 0);
  }

  /** A conv2d whose filter and bias are drawn like {@code torch.randn} from {@code seed}. */
  public static LayerConfig conv2dSeeded(int kernelHeight, int kernelWidth, long seed) {
    if (kernelHeight < 1 || kernelWidth < 1) {
      throw new IllegalArgumentException("conv2d kernel must be at least 1x1, got " + kernelHeight + "x" + kernelWidth);
    }
    return new LayerConfig(Type.CONV2D, kernelHeight, kernelWidth, seed, null, 0);
  }

  /** A conv2d starting from the given filter (rows of equal length) and bias. */
  public static LayerConfig conv2dExplicit(double[][] filter, double bias) {
    if (filter.length == 0 || filter[0].length == 0) {
      throw new IllegalArgumentException("conv2d filter must not be empty");
    }
    double[][] copy = new double[filter.length][];
    for (int r = 0; r < filter.length; r++) {
      if (filter[r].length != filter[0].length) {
        throw new IllegalArgumentException("conv2d filter row " + r + " has " + filter[r].length
            + " values, row 0 has " + filter[0].length);
      }
      copy[r] = filter[r].clone();
    }
    return new LayerConfig(Type.CONV2D, filter.length, filter[0].length, 0, copy, bias);
  }

  public Type type() {
    return type;
  }

  public int kernelHeight() {
    return kernelHeight;
  }

  public int kernelWidth() {
    return kernelWidth;
  }

  /** Whether the initial filter is given explicitly (else it is drawn from {@link #seed()}). */
  public boolean hasExplicitFilter() {
    return filter != null;
  }

  public long seed() {
    return seed;
  }

  /** A copy of the explicit initial filter, or null. */
  public double[][] filter() {
    if (filter == null) {
      return null;
    }
    double[][] copy = new double[filter.length][];
    for (int r = 0; r < filter.length; r++) {
      copy[r] = filter[r].clone();
    }
    return copy;
  }

  /** The explicit initial bias (meaningful with {@link #hasExplicitFilter()}). */
  public double bias() {
    return bias;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LayerConfig)) {
      return false;
    }
    LayerConfig c = (LayerConfig) o;
    return type == c.type && kernelHeight == c.kernelHeight && kernelWidth == c.kernelWidth && seed == c.seed
        && Arrays.deepEquals(filter, c.filter) && Double.compare(bias, c.bias) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, kernelHeight, kernelWidth, seed, Arrays.deepHashCode(filter), bias);
  }

  @Override
  public String toString() {
    return type.specName() + (type == Type.CONV2D ? " " + kernelHeight + "x" + kernelWidth
        + (filter != null ? " explicit filter, bias " + bias : " seed " + seed) : "");
  }
}
