package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;
import java.util.Arrays;
import java.util.Objects;

/**
 * A configured {@code conv2d}: its kernel size and initial filter, drawn from a seed or given
 * explicitly with a bias. Immutable.
 */
public final class Conv2dSpec implements LayerSpec {
  private static final long serialVersionUID = 1L;

  private final int kernelHeight;
  private final int kernelWidth;
  private final long seed;
  private final double[][] filter;
  private final double bias;

  private Conv2dSpec(int kernelHeight, int kernelWidth, long seed, double[][] filter, double bias) {
    this.kernelHeight = kernelHeight;
    this.kernelWidth = kernelWidth;
    this.seed = seed;
    this.filter = filter;
    this.bias = bias;
  }

  /** A conv2d whose filter and bias are drawn like {@code torch.randn} from {@code seed}. */
  public static Conv2dSpec seeded(int kernelHeight, int kernelWidth, long seed) {
    if (kernelHeight < 1 || kernelWidth < 1) {
      throw new IllegalArgumentException("conv2d kernel must be at least 1x1, got " + kernelHeight + "x" + kernelWidth);
    }
    return new Conv2dSpec(kernelHeight, kernelWidth, seed, null, 0);
  }

  /** A conv2d starting from the given filter (rows of equal length) and bias. */
  public static Conv2dSpec explicit(double[][] filter, double bias) {
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
    return new Conv2dSpec(filter.length, filter[0].length, 0, copy, bias);
  }

  @Override
  public String type() {
    return "conv2d";
  }

  @Override
  public Module create() {
    return filter != null
        ? new Conv2d(Tensor.of2d(filter), Tensor.full(bias, 1, 1))
        : new Conv2d(kernelHeight, kernelWidth, seed);
  }

  public int kernelHeight() {
    return kernelHeight;
  }

  public int kernelWidth() {
    return kernelWidth;
  }

  /** A copy of the explicit initial filter, or null when it is drawn from the seed. */
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

  /** The explicit initial bias (meaningful with an explicit {@link #filter()}). */
  public double bias() {
    return bias;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Conv2dSpec)) {
      return false;
    }
    Conv2dSpec c = (Conv2dSpec) o;
    return kernelHeight == c.kernelHeight && kernelWidth == c.kernelWidth && seed == c.seed
        && Arrays.deepEquals(filter, c.filter) && Double.compare(bias, c.bias) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kernelHeight, kernelWidth, seed, Arrays.deepHashCode(filter), bias);
  }

  @Override
  public String toString() {
    return "conv2d " + kernelHeight + "x" + kernelWidth + (filter != null ? " explicit filter, bias " + bias
        : " seed " + seed);
  }
}
