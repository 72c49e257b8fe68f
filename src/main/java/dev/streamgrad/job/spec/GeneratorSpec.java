package dev.streamgrad.job.spec;

import dev.streamgrad.avro.DType;
import dev.streamgrad.layers.LayerSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * {@code source: {type: generator, ...}}: a seeded synthetic stream. Record {@code i} belongs to key
 * {@code keys[i % keys.size()]} with {@code seq = i / keys.size()}; its input is standard normal
 * noise of {@code shape}; a labeled record's target is {@code correlate2d(input, trueFilter, valid) +
 * trueBias + noise * N(0, 1)}, or, for layers other than a conv2d, a hidden model of the job's
 * layer ({@link #teacher()}) applied to the input, plus the noise. Every value derives from {@code (seed, i)} alone, so a replay after a
 * failure produces the same records. Immutable; serializable because Flink ships it to the source.
 */
public final class GeneratorSpec implements SourceSpec, Serializable {
  private static final long serialVersionUID = 1L;

  private final long count;
  private final double rate;
  private final List<String> keys;
  private final int[] shape;
  private final long seed;
  private final double noise;
  private final DType dtype;
  private final double[][] trueFilter;
  private final double trueBias;
  private final LayerSpec teacher;
  private final long teacherSeed;

  /**
   * @param count records in all (over every key); negative: unbounded
   * @param rate records per second in all; 0: as fast as possible
   * @param trueFilter the hidden filter the targets are made with (null for unlabeled-only use)
   */
  public GeneratorSpec(long count, double rate, List<String> keys, int[] shape, long seed, double noise,
      DType dtype, double[][] trueFilter, double trueBias) {
    this(count, rate, keys, shape, seed, noise, dtype, trueFilter, trueBias, null, 0);
  }

  /**
   * A generator whose targets a hidden model of any layer makes: {@code teacher}'s module with every
   * parameter drawn, in the module's order, like {@code torch.randn(shape)} from one generator
   * seeded with {@code teacherSeed} (for a conv2d the same values as {@link #drawTrueFilter}).
   */
  public static GeneratorSpec withTeacher(long count, double rate, List<String> keys, int[] shape, long seed,
      double noise, DType dtype, LayerSpec teacher, long teacherSeed) {
    return new GeneratorSpec(count, rate, keys, shape, seed, noise, dtype, null, 0, teacher, teacherSeed);
  }

  private GeneratorSpec(long count, double rate, List<String> keys, int[] shape, long seed, double noise,
      DType dtype, double[][] trueFilter, double trueBias, LayerSpec teacher, long teacherSeed) {
    this.teacher = teacher;
    this.teacherSeed = teacherSeed;
    this.count = count;
    this.rate = rate;
    this.keys = List.copyOf(keys);
    this.shape = shape.clone();
    this.seed = seed;
    this.noise = noise;
    this.dtype = dtype;
    this.trueFilter = trueFilter == null ? null : copy(trueFilter);
    this.trueBias = trueBias;
  }

  /**
   * The hidden filter and bias drawn from {@code seed} like a seeded conv2d layer's own init
   * ({@code randn(kh, kw)} then {@code randn(1, 1)} from one generator); element [kh][0] is the bias.
   */
  public static double[][] drawTrueFilter(long seed, int kh, int kw) {
    java.util.Random rng = new java.util.Random(seed);
    dev.streamgrad.autograd.Tensor f = dev.streamgrad.autograd.Tensor.randn(rng, kh, kw);
    double bias = dev.streamgrad.autograd.Tensor.randn(rng, 1, 1).item();
    double[][] out = new double[kh + 1][];
    for (int r = 0; r < kh; r++) {
      out[r] = new double[kw];
      for (int c = 0; c < kw; c++) {
        out[r][c] = f.get(r, c);
      }
    }
    out[kh] = new double[] {bias};
    return out;
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int r = 0; r < m.length; r++) {
      c[r] = m[r].clone();
    }
    return c;
  }

  @Override
  public String type() {
    return "generator";
  }

  @Override
  public boolean bounded() {
    return count >= 0;
  }

  /** Records in all; negative when unbounded. */
  public long count() {
    return count;
  }

  /** Records per second in all; 0 when unlimited. */
  public double rate() {
    return rate;
  }

  public List<String> keys() {
    return keys;
  }

  /** Input shape {@code [h, w]}. */
  public int[] shape() {
    return shape.clone();
  }

  public long seed() {
    return seed;
  }

  /** Standard deviation of the Gaussian noise added to targets. */
  public double noise() {
    return noise;
  }

  public DType dtype() {
    return dtype;
  }

  /** The hidden filter (a copy), or null. */
  public double[][] trueFilter() {
    return trueFilter == null ? null : copy(trueFilter);
  }

  public double trueBias() {
    return trueBias;
  }

  /** The layer of the hidden model that makes the targets when there is no {@link #trueFilter()}, or null. */
  public LayerSpec teacher() {
    return teacher;
  }

  /** The seed the {@link #teacher()}'s parameters are drawn from. */
  public long teacherSeed() {
    return teacherSeed;
  }

  /** The same generator with another record count (negative: unbounded). */
  public GeneratorSpec withCount(long newCount) {
    return new GeneratorSpec(newCount, rate, keys, shape, seed, noise, dtype, trueFilter, trueBias, teacher,
        teacherSeed);
  }

  @Override
  public String toString() {
    return "generator(" + (bounded() ? count + " records" : "unbounded") + (rate > 0 ? " at " + rate + "/s" : "")
        + ", keys " + keys + ", shape " + Arrays.toString(shape) + ", seed " + seed
        + (trueFilter != null ? ", noise " + noise : "") + ")";
  }
}
