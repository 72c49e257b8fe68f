package dev.streamgrad.job.io;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.records.TensorCodec;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;
import java.time.Instant;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The generator's records as a pure function of {@code (spec, i)}: the {@code generator} source, the
 * {@code generate} command and the tests all produce the same record {@code i}. Record {@code i}
 * belongs to key {@code keys[i % n]} with {@code seq = i / n} and event time {@link #EPOCH} + i ms.
 */
public final class SyntheticRecords {
  /** Event time of record 0 (2026-01-01T00:00:00Z): fixed, so that replays are identical. */
  public static final long EPOCH = 1_767_225_600_000L;

  private final GeneratorSpec spec;
  private final Tensor trueFilter;
  /** The hidden model of a generator for layers other than a conv2d, or null. */
  private final Module teacher;
  private final int[] shape;

  public SyntheticRecords(GeneratorSpec spec) {
    this.spec = spec;
    this.shape = spec.shape();
    double[][] f = spec.trueFilter();
    this.trueFilter = f == null ? null : Tensor.of2d(f);
    this.teacher = spec.teacher() == null ? null : teacher(spec);
  }

  /** The teacher's module with every parameter drawn in order from one generator (a conv2d: {@code drawTrueFilter}). */
  private static Module teacher(GeneratorSpec spec) {
    Module m = spec.teacher().create();
    Random rng = new Random(spec.teacherSeed());
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      for (Parameter p : m.parameters()) {
        p.copyFrom(Tensor.randn(rng, p.shape()));
      }
    }
    return m;
  }

  /** A record's random source: independent streams per index (murmur3's finalizer on seed and i). */
  private SplittableRandom random(long i) {
    return new SplittableRandom(mix(mix(spec.seed()) + i));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private Tensor input(SplittableRandom rng) {
    double[] v = new double[shape[0] * shape[1]];
    boolean f32 = spec.dtype() == DType.FLOAT32;
    for (int k = 0; k < v.length; k++) {
      double x = rng.nextGaussian();
      // round float32 inputs first so that the target is computed from exactly what is sent
      v[k] = f32 ? (float) x : x;
    }
    return Tensor.wrap(v, shape);
  }

  public String key(long i) {
    return spec.keys().get((int) (i % spec.keys().size()));
  }

  public long seq(long i) {
    return i / spec.keys().size();
  }

  /**
   * Labeled record {@code i}: target = correlate2d(input, trueFilter, valid) + trueBias + noise, or the
   * teacher's output + noise.
   */
  public LabeledTensorRecord labeled(long i) {
    if (trueFilter == null && teacher == null) {
      throw new IllegalStateException("this generator has no hidden model: it makes unlabeled records only");
    }
    SplittableRandom rng = random(i);
    Tensor in = input(rng);
    Tensor out;
    double bias;
    if (trueFilter != null) {
      out = Correlation.correlate2d(in, trueFilter, Mode.VALID);
      bias = spec.trueBias();
    } else {
      GradMode.Scope noGrad = GradMode.noGrad();
      try (noGrad) {
        out = teacher.forward(in).copy();
      }
      bias = 0;
    }
    double[] t = out.buffer();
    for (int k = 0; k < t.length; k++) {
      t[k] += bias + spec.noise() * rng.nextGaussian();
    }
    out.markModified();
    return LabeledTensorRecord.newBuilder().setModel(key(i)).setSeq(seq(i))
        .setEventTime(Instant.ofEpochMilli(EPOCH + i)).setInput(TensorCodec.encode(in, spec.dtype()))
        .setTarget(TensorCodec.encode(out, spec.dtype())).build();
  }

  /** Unlabeled record {@code i}: standard normal values of the generator's shape. */
  public TensorRecord unlabeled(long i) {
    Tensor in = input(random(i));
    return TensorRecord.newBuilder().setKey(key(i)).setSeq(seq(i)).setEventTime(Instant.ofEpochMilli(EPOCH + i))
        .setTensor(TensorCodec.encode(in, spec.dtype())).build();
  }
}
