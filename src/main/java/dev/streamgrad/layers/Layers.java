package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.flink.LayerConfig;
import dev.streamgrad.nn.Module;

/** Builds the module a {@link LayerConfig} describes. */
public final class Layers {
  private Layers() {}

  public static Module create(LayerConfig config) {
    switch (config.type()) {
      case FFT_MAGNITUDE:
        return new FftMagnitude();
      case BAD_FFT:
        return new BadFft();
      case CONV2D:
        return config.hasExplicitFilter()
            ? new Conv2d(Tensor.of2d(config.filter()), Tensor.full(config.bias(), 1, 1))
            : new Conv2d(config.kernelHeight(), config.kernelWidth(), config.seed());
      default:
        throw new IllegalArgumentException("unknown layer type " + config.type());
    }
  }
}
