package dev.streamgrad.layers;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.signal.ComplexTensor;
import dev.streamgrad.signal.Fft;
import dev.streamgrad.signal.Norm;

/**
 * {@code |rfft2(x)|} with its mathematically correct gradient, for any height and width.
 *
 * <p>With {@code X = rfft2(x)} of shape {@code [H, W/2+1]} and output gradient {@code g}, the
 * gradient is {@code dL/dx[m,n] = Re sum_{k,l} g[k,l] conj(X[k,l])/|X[k,l]| e^{-2 pi i (km/H +
 * ln/W)}}. That is an unnormalised inverse real FFT of {@code Z = g X/|X|} once the columns that
 * {@code irfft2} counts twice by Hermitian symmetry (every column but the DC one and, for even W,
 * the Nyquist one) are halved: {@code irfft2(Z, s=(H, W), norm="forward")}. Where {@code |X| = 0}
 * the magnitude is not differentiable; the subgradient used there is 0 (as {@code torch.abs} does
 * for complex inputs).
 */
public final class FftMagnitudeFunction extends Function {
  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    Shapes.requireDims("FftMagnitude input", 2, in[0].shape());
    ComplexTensor spectrum = Fft.rfft2(in[0]);
    Tensor magnitude = spectrum.abs();
    ctx.put("spectrum", spectrum);
    ctx.saveForBackward(magnitude);
    return tensors(magnitude);
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    ComplexTensor spectrum = ctx.get("spectrum", ComplexTensor.class);
    double[] magnitude = ctx.savedTensors()[0].buffer();
    int[] inputShape = ctx.inputShape(0);
    int width = inputShape[1];
    int cols = spectrum.shape()[1];
    double[] re = spectrum.re();
    double[] im = spectrum.im();
    double[] g = grad[0].buffer();
    double[] zRe = new double[re.length];
    double[] zIm = new double[re.length];
    for (int k = 0; k < re.length; k++) {
      double mag = magnitude[k];
      if (mag == 0.0) {
        continue; // subgradient 0 where the magnitude has a kink
      }
      int l = k % cols;
      boolean countedTwice = l != 0 && !(width % 2 == 0 && l == width / 2);
      double scale = g[k] / mag * (countedTwice ? 0.5 : 1.0);
      zRe[k] = re[k] * scale;
      zIm[k] = im[k] * scale;
    }
    ComplexTensor z = new ComplexTensor(zRe, zIm, spectrum.shape());
    return tensors(Fft.irfft2(z, inputShape, Norm.FORWARD));
  }
}
