package dev.streamgrad.layers;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;

/**
 * The first published version of the tutorial's {@code ScipyConv2dFunction}, kept in the tests only
 * to show that gradcheck rejects it: {@code grad_input = convolve2d(grad, filter.t(), 'full')} and
 * {@code grad_filter = convolve2d(input, grad, 'valid')} (the transpose is not the flip the
 * adjoint of a correlation needs, and convolving flips what should be correlated).
 */
final class FirstPublishedConv2dFunction extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    Tensor out = Correlation.correlate2d(in[0], in[1], Mode.VALID);
    double b = in[2].buffer()[0];
    double[] o = out.buffer();
    for (int k = 0; k < o.length; k++) {
      o[k] += b;
    }
    ctx.saveForBackward(in[0], in[1]);
    return tensors(out);
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    Tensor input = ctx.savedTensors()[0];
    Tensor filter = ctx.savedTensors()[1];
    Tensor g = grad[0];
    double s = 0;
    for (double v : g.buffer()) {
      s += v;
    }
    return tensors(
        Correlation.convolve2d(g, transpose(filter), Mode.FULL),
        Correlation.convolve2d(input, g, Mode.VALID),
        Tensor.full(s, 1, 1));
  }

  private static Tensor transpose(Tensor t) {
    int rows = t.size(0);
    int cols = t.size(1);
    double[] out = new double[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = t.get(r, c);
      }
    }
    return Tensor.wrap(out, cols, rows);
  }
}
