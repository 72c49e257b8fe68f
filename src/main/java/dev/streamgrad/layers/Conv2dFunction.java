package dev.streamgrad.layers;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Sums;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.autograd.Workspace;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;

/**
 * The tutorial's {@code ScipyConv2dFunction}: a learnable 2-D cross-correlation.
 *
 * <p>Inputs: {@code input [H, W]}, {@code filter [kh, kw]} (at most the input's size), {@code bias}
 * (one element, {@code [1, 1]} in the tutorial). Output {@code [H-kh+1, W-kw+1]}:
 * {@code correlate2d(input, filter, 'valid') + bias}. Backward, as the tutorial's current version:
 * {@code grad_input = convolve2d(grad, filter, 'full')} (only when the input needs a gradient,
 * which the tutorial computes unconditionally), {@code grad_filter = correlate2d(input, grad,
 * 'valid')}, {@code grad_bias = sum(grad)}.
 */
public final class Conv2dFunction extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    Tensor input = in[0];
    Tensor filter = in[1];
    Tensor bias = in[2];
    checkShapes(input.shape(), filter.shape(), bias);
    // the output of a training step goes into an array the step lends (Workspace): it is dropped when the step ends
    Tensor out = Workspace.tensor(input.shape()[0] - filter.shape()[0] + 1, input.shape()[1] - filter.shape()[1] + 1);
    Correlation.correlate2d(input, filter, Mode.VALID, out);
    double b = bias.buffer()[0];
    double[] o = out.buffer();
    for (int k = 0; k < o.length; k++) {
      o[k] += b;
    }
    ctx.saveForBackward(input, filter);
    return tensors(out);
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    Tensor[] saved = ctx.savedTensors();
    Tensor g = grad[0];
    Tensor gradInput = ctx.needsInputGrad(0) ? Correlation.convolve2d(g, saved[1], Mode.FULL) : null;
    Tensor gradFilter = ctx.needsInputGrad(1) ? Correlation.correlate2d(saved[0], g, Mode.VALID) : null;
    Tensor gradBias = null;
    if (ctx.needsInputGrad(2)) {
      // PyTorch's summation order (and sixteen independent adds rather than one long chain)
      gradBias = Tensor.full(Sums.sum(g.buffer()), ctx.inputShape(2));
    }
    return tensors(gradInput, gradFilter, gradBias);
  }

  /** Throws with both shapes when the input, filter or bias cannot be used together. */
  static void checkShapes(int[] input, int[] filter, Tensor bias) {
    Shapes.requireDims("conv2d input", 2, input);
    Shapes.requireDims("conv2d filter", 2, filter);
    if (bias.numel() != 1) {
      throw new IllegalArgumentException("conv2d bias must have one element, got shape " + Shapes.format(bias.shape()));
    }
    if (filter[0] > input[0] || filter[1] > input[1]) {
      throw new IllegalArgumentException("conv2d input of shape " + Shapes.format(input)
          + " is smaller than the filter of shape " + Shapes.format(filter));
    }
  }
}
