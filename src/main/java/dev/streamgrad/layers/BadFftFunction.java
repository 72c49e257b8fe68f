package dev.streamgrad.layers;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.signal.Fft;
import dev.streamgrad.signal.Norm;

/**
 * The tutorial's {@code BadFFTFunction}, exactly as written there: forward {@code abs(rfft2(x))},
 * backward {@code irfft2(grad)}.
 *
 * <p><b>The backward is mathematically wrong on purpose</b> (the tutorial says so: it only shows
 * how to wire numpy into autograd): {@code irfft2} is not the adjoint of {@code |rfft2|}, so these
 * gradients fail {@link dev.streamgrad.autograd.Gradcheck}. For an input of odd width the backward
 * even has the wrong shape ({@code 7x7} in, {@code 7x4} out, {@code 7x6} gradient), which the
 * engine rejects as PyTorch does: "returned an invalid gradient at index 0 - got [7, 6] but
 * expected shape compatible with [7, 7]". Use {@link FftMagnitudeFunction} for the true gradient.
 */
public final class BadFftFunction extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    Shapes.requireDims("BadFft input", 2, in[0].shape());
    return tensors(Fft.rfft2(in[0]).abs());
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    // numpy's irfft2 of a real array: imaginary parts zero, last axis 2*(m-1).
    return tensors(Fft.irfft2(grad[0], null, Norm.BACKWARD));
  }

  @Override
  public String name() {
    return "BadFFTFunctionBackward";
  }
}
