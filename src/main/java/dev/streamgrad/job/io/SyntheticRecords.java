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
 * An instance reuses one array record after record: one per thread.
 */
public final class SyntheticRecords {
  /** Event time of record 0 (2026-01-01T00:00:00Z): fixed, so that replays are identical. */
  public static final long EPOCH = 1_767_225_600_000L;

  private final GeneratorSpec spec;
  private final Tensor trueFilter;
  /** The hidden model of a generator for layers other than a conv2d, or null. */
  private final Module teacher;
  private final int[] shape;
  /** The current record's input values (see {@link #input}): an instance serves one thread. */
  private final double[] inputValues;
  /** The input's and the target's bytes of the current labeled record, when reused (else null). */
  private final byte[][] encoded;
  /** The current record's target with a hidden filter, reused like {@link #inputValues} (from the first record on). */
  private Tensor targetValues;

  public SyntheticRecords(GeneratorSpec spec) {
    this(spec, false);
  }

  /**
   * @param reuseEncoded whether {@link #labeled} encodes every record's tensors into the same two byte
   *     arrays: a record is then valid only until the next call. For the {@code generator} source,
   *     whose labeled records go through a progress count to a {@code keyBy} and are serialised
   *     there before the next is made; a fresh 3 to 12 KB of bytes per record costs about 130 ns
   *     per KB here.
   */
  SyntheticRecords(GeneratorSpec spec, boolean reuseEncoded) {
    this.spec = spec;
    this.encoded = reuseEncoded ? new byte[2][] : null;
    this.shape = spec.shape();
    this.inputValues = new double[shape[0] * shape[1]];
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

  /**
   * The input of record {@code rng}'s index in {@link #inputValues}, reused record after record: the
   * tensor is only read (to make the target) and encoded before the next record.
   */
  private Tensor input(SplittableRandom rng) {
    double[] v = inputValues;
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
      targetValues = targetValues == null ? Correlation.correlate2d(in, trueFilter, Mode.VALID)
          : Correlation.correlate2d(in, trueFilter, Mode.VALID, targetValues);
      out = targetValues;
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
    dev.streamgrad.avro.Tensor input = encode(in, 0);
    dev.streamgrad.avro.Tensor target = encode(out, 1);
    return new LabeledTensorRecord(key(i), seq(i), Instant.ofEpochMilli(EPOCH + i), input, target);
  }

  private dev.streamgrad.avro.Tensor encode(Tensor t, int slot) {
    if (encoded == null) {
      return TensorCodec.encode(t, spec.dtype());
    }
    dev.streamgrad.avro.Tensor e = TensorCodec.encode(t, spec.dtype(), encoded[slot]);
    encoded[slot] = e.getData().array();
    return e;
  }

  /** Unlabeled record {@code i}: standard normal values of the generator's shape. */
  public TensorRecord unlabeled(long i) {
    Tensor in = input(random(i));
    return new TensorRecord(key(i), seq(i), Instant.ofEpochMilli(EPOCH + i), TensorCodec.encode(in, spec.dtype()));
  }
}
