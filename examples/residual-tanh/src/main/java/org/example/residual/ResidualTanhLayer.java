package org.example.residual;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.config.Param;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.layers.LayerRegistry;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.layers.LayerType;
import dev.streamgrad.nn.Module;
import java.util.List;
import java.util.Random;

/**
 * {@code layer: {type: residual-tanh, kernel: [kh, kw], seed: 0, scale: 1.0, skip: 0.5}}: registered
 * in this jar's {@code META-INF/services/dev.streamgrad.layers.LayerType}, so that a job spec can
 * name it once the jar is on streamgrad's class path ({@code streamgrad run --jar}).
 */
public final class ResidualTanhLayer implements LayerType {
  static final Param<Long> SEED = Param.integer("seed", "seed of the weight and bias, drawn as torch.randn", 0L,
      Long.MIN_VALUE);
  static final Param<Double> SCALE = Param.number("scale", "initial scale of the tanh", 1.0, Param.any());
  static final Param<Double> SKIP = Param.number("skip", "initial share of the cropped input", 0.5, Param.any());
  static final List<Param<?>> PARAMS = List.of(SEED, SCALE, SKIP);

  @Override
  public String name() {
    return "residual-tanh";
  }

  @Override
  public LayerSpec read(Section s, LayerRegistry registry) throws SpecException {
    s.allow("type", "kernel", "seed", "scale", "skip");
    int[] kernel = s.dims("kernel", 2);
    if (kernel == null) {
      throw s.error("kernel", "missing (the correlation's [height, width])");
    }
    Random rng = new Random(SEED.read(s));
    Tensor weight = Tensor.randn(rng, kernel[0], kernel[1]);
    Tensor bias = Tensor.randn(rng, 1, 1);
    return new Spec(weight.toArray(), kernel[0], kernel[1], bias.item(), SCALE.read(s), SKIP.read(s));
  }

  /** The configured layer: its initial parameters. Serializable, as Flink ships it to the operators. */
  public static final class Spec implements LayerSpec {
    private static final long serialVersionUID = 1L;
    private final double[] weight;
    private final int kh;
    private final int kw;
    private final double bias;
    private final double scale;
    private final double skip;

    public Spec(double[] weight, int kh, int kw, double bias, double scale, double skip) {
      if (weight.length != kh * kw) {
        throw new IllegalArgumentException("weight has " + weight.length + " values, kernel is " + kh + "x" + kw);
      }
      this.weight = weight.clone();
      this.kh = kh;
      this.kw = kw;
      this.bias = bias;
      this.scale = scale;
      this.skip = skip;
    }

    @Override
    public String type() {
      return "residual-tanh";
    }

    @Override
    public Module create() {
      return new ResidualTanh(Tensor.wrap(weight.clone(), kh, kw), Tensor.full(bias, 1, 1),
          Tensor.full(scale, 1), Tensor.full(skip, 1));
    }

    @Override
    public String toString() {
      return "residual-tanh " + kh + "x" + kw;
    }
  }
}
