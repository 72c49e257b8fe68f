package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.Parameter;
import java.util.Random;

/**
 * The tutorial's {@code ScipyConv2d} module: parameters {@code filter [kh, kw]} and {@code bias
 * [1, 1]}, forward {@link Conv2dFunction}.
 */
public final class Conv2d extends Module {
  private final Parameter filter;
  private final Parameter bias;

  /**
   * Initialises like the tutorial's {@code torch.randn(kh, kw)} and {@code torch.randn(1, 1)}: filter
   * then bias drawn from one standard normal generator seeded with {@code seed}.
   */
  public Conv2d(int kernelHeight, int kernelWidth, long seed) {
    this(initial(kernelHeight, kernelWidth, seed));
  }

  /** Starts from copies of the given filter and one-element bias. */
  public Conv2d(Tensor filter, Tensor bias) {
    this(new Tensor[] {filter, bias});
  }

  private Conv2d(Tensor[] init) {
    if (init[0].dim() != 2) {
      throw new IllegalArgumentException("conv2d filter must be 2-D, got shape "
          + dev.streamgrad.autograd.Shapes.format(init[0].shape()));
    }
    if (init[1].numel() != 1) {
      throw new IllegalArgumentException("conv2d bias must have one element, got shape "
          + dev.streamgrad.autograd.Shapes.format(init[1].shape()));
    }
    this.filter = registerParameter("filter", new Parameter(init[0]));
    this.bias = registerParameter("bias", new Parameter(init[1].reshape(1, 1)));
  }

  private static Tensor[] initial(int kernelHeight, int kernelWidth, long seed) {
    if (kernelHeight < 1 || kernelWidth < 1) {
      throw new IllegalArgumentException("conv2d kernel must be at least 1x1, got " + kernelHeight + "x" + kernelWidth);
    }
    Random rng = new Random(seed);
    Tensor f = Tensor.randn(rng, kernelHeight, kernelWidth);
    Tensor b = Tensor.randn(rng, 1, 1);
    return new Tensor[] {f, b};
  }

  public Parameter filter() {
    return filter;
  }

  public Parameter bias() {
    return bias;
  }

  @Override
  public Tensor forward(Tensor input) {
    return new Conv2dFunction().apply(input, filter, bias);
  }

  /** {@code [H, W]} to {@code [H - kh + 1, W - kw + 1]}; the input must be 2-D and at least the filter's size. */
  @Override
  public int[] outputShape(int... inputShape) {
    Conv2dFunction.checkShapes(inputShape, filter.shape(), bias);
    return new int[] {inputShape[0] - filter.size(0) + 1, inputShape[1] - filter.size(1) + 1};
  }

  @Override
  public String toString() {
    return "Conv2d(" + filter.size(0) + ", " + filter.size(1) + ")";
  }
}
