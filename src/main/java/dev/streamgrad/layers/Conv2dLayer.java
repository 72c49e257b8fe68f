package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import java.util.Random;

/**
 * {@code layer: {type: conv2d, kernel: [kh, kw], bias: b, init: {seed | filter, bias}}}: the
 * tutorial's learnable cross-correlation ({@link Conv2d}). The filter is drawn from
 * {@code init.seed} (default 0) like {@code torch.randn(kh, kw)}, or given as {@code init.filter}.
 */
public final class Conv2dLayer implements LayerType {
  @Override
  public String name() {
    return "conv2d";
  }

  @Override
  public LayerSpec read(Section s, LayerRegistry registry) throws SpecException {
    s.allow("type", "kernel", "bias", "init");
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
        throw init.error("filter", "is " + filter.length + "x" + filter[0].length + " but " + s.key("kernel")
            + " is " + kernel[0] + "x" + kernel[1]);
      }
      if (initBias != null && s.has("bias")) {
        throw s.error("bias", "given twice (also " + init.key("bias") + ")");
      }
      return Conv2dSpec.explicit(filter, initBias != null ? initBias : s.number("bias", 0));
    }
    if (kernel == null) {
      throw s.error("kernel", "missing (required for conv2d unless " + s.key("init.filter") + " is given)");
    }
    if (!s.has("bias")) {
      return Conv2dSpec.seeded(kernel[0], kernel[1], seed);
    }
    // an explicit bias with a seeded filter: draw the filter exactly as Conv2d(kh, kw, seed) does
    Tensor drawn = Tensor.randn(new Random(seed), kernel[0], kernel[1]);
    double[][] rows = new double[kernel[0]][kernel[1]];
    for (int r = 0; r < kernel[0]; r++) {
      for (int c = 0; c < kernel[1]; c++) {
        rows[r][c] = drawn.get(r, c);
      }
    }
    return Conv2dSpec.explicit(rows, s.number("bias", 0));
  }
}
