package dev.streamgrad.job.spec;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.flink.LayerConfig;
import java.util.Random;

/** Reads the {@code layer} section. */
final class LayerSpecs {
  private LayerSpecs() {}

  static LayerConfig read(Section s) throws SpecException {
    s.allow("type", "kernel", "bias", "init");
    String typeName = s.choice("type", null, "fft-magnitude", "bad-fft", "conv2d");
    LayerConfig.Type type = LayerConfig.Type.fromSpecName(typeName);
    if (type != LayerConfig.Type.CONV2D) {
      for (String k : new String[] {"kernel", "bias", "init"}) {
        if (s.has(k)) {
          throw s.error(k, "only for layer.type conv2d (" + typeName + " has no parameters)");
        }
      }
      return LayerConfig.parameterless(type);
    }
    int[] kernel = s.dims("kernel", 2);
    Section init = s.section("init");
    double[][] filter = null;
    long seed = 0;
    Double initBias = null;
    if (init != null) {
      init.allow("seed", "filter", "bias");
      filter = init.matrix("filter");
      if (filter != null && init.has("seed")) {
        throw init.error("seed", "give either init.seed or init.filter, not both");
      }
      if (filter == null && init.has("bias")) {
        throw init.error("bias", "only with init.filter (with init.seed, use layer.bias)");
      }
      seed = init.integer("seed", 0, Long.MIN_VALUE);
      initBias = init.has("bias") ? init.number("bias", 0) : null;
    }
    if (filter != null) {
      if (kernel != null && (kernel[0] != filter.length || kernel[1] != filter[0].length)) {
        throw init.error("filter", "is " + filter.length + "x" + filter[0].length + " but layer.kernel is "
            + kernel[0] + "x" + kernel[1]);
      }
      if (initBias != null && s.has("bias")) {
        throw s.error("bias", "given twice (also layer.init.bias)");
      }
      double bias = initBias != null ? initBias : s.number("bias", 0);
      return LayerConfig.conv2dExplicit(filter, bias);
    }
    if (kernel == null) {
      throw s.error("kernel", "missing (required for conv2d unless layer.init.filter is given)");
    }
    if (!s.has("bias")) {
      return LayerConfig.conv2dSeeded(kernel[0], kernel[1], seed);
    }
    // an explicit bias with a seeded filter: draw the filter exactly as Conv2d(kh, kw, seed) does
    Tensor drawn = Tensor.randn(new Random(seed), kernel[0], kernel[1]);
    double[][] rows = new double[kernel[0]][kernel[1]];
    for (int r = 0; r < kernel[0]; r++) {
      for (int c = 0; c < kernel[1]; c++) {
        rows[r][c] = drawn.get(r, c);
      }
    }
    return LayerConfig.conv2dExplicit(rows, s.number("bias", 0));
  }
}
