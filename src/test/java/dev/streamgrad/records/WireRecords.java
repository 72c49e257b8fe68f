package dev.streamgrad.records;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.avro.TensorRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Records for the serializer tests: random valid ones as {@link TensorCodec#encode} makes them, and
 * adversarial ones, with every field the generated classes can hold null or invalid, in every kind
 * of buffer. Every one of them equals itself after a trip through the wire (event times are whole
 * milliseconds, as the generated setters leave them).
 */
final class WireRecords {
  private WireRecords() {}

  static Tensor tensor(List<Integer> shape, DType dtype, ByteBuffer data) {
    // the constructor, not the builder: the builder refuses nulls
    return new Tensor(shape, dtype, data);
  }

  static Tensor random(Random rng, DType dtype, int... shape) {
    return TensorCodec.encode(dev.streamgrad.autograd.Tensor.randn(rng, shape), dtype);
  }

  static ByteBuffer bytes(Random rng, int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return ByteBuffer.wrap(b);
  }

  /** The tensors of the adversarial cases: nulls, empty and invalid shapes, every kind of buffer. */
  static List<Tensor> adversarialTensors(Random rng) {
    List<Tensor> t = new ArrayList<>();
    t.add(null);
    t.add(tensor(null, DType.FLOAT32, bytes(rng, 16)));
    t.add(tensor(List.of(2, 2), null, bytes(rng, 16)));
    t.add(tensor(List.of(2, 2), DType.FLOAT32, null));
    t.add(tensor(null, null, null));
    t.add(tensor(List.of(), DType.FLOAT64, bytes(rng, 8)));
    t.add(tensor(List.of(), DType.FLOAT64, ByteBuffer.allocate(0)));
    t.add(tensor(Arrays.asList(3, null, 4), DType.FLOAT32, bytes(rng, 48)));
    t.add(tensor(Arrays.asList((Integer) null), DType.FLOAT32, bytes(rng, 4)));
    t.add(tensor(List.of(-3, 0, Integer.MIN_VALUE, Integer.MAX_VALUE), DType.FLOAT64, bytes(rng, 5)));
    t.add(tensor(new ArrayList<>(List.of(28, 28)), DType.FLOAT32, bytes(rng, 100)));
    // buffers: a position and limit inside the array, a slice (array offset), read-only, direct
    ByteBuffer positioned = bytes(rng, 64);
    positioned.position(5).limit(37);
    t.add(tensor(List.of(8), DType.FLOAT32, positioned));
    t.add(tensor(List.of(4), DType.FLOAT32, bytes(rng, 40).position(7).slice().limit(16)));
    t.add(tensor(List.of(2, 2), DType.FLOAT32, bytes(rng, 16).asReadOnlyBuffer()));
    ByteBuffer direct = ByteBuffer.allocateDirect(20_000);
    direct.put(bytes(rng, 20_000)).flip().position(3);
    t.add(tensor(List.of(4999), DType.FLOAT32, direct));
    t.add(tensor(List.of(1), DType.FLOAT64, direct.duplicate().position(100).limit(108).asReadOnlyBuffer()));
    // big: 1024 x 1024 float64, 8 MiB
    t.add(random(rng, DType.FLOAT64, 1024, 1024));
    return t;
  }

  static final String[] KEYS = {
    "alpha", "", "modèle-αβγ-模型-\uD83D\uDE00", "\uD800 lone surrogate \uDFFF", "a\u0000b", "x".repeat(70_000), null
  };
  static final Instant[] TIMES = {
    Instant.ofEpochMilli(1_700_000_000_123L), Instant.EPOCH, Instant.ofEpochMilli(-1), Instant.ofEpochMilli(-86_400_001L),
    Instant.ofEpochMilli(Long.MAX_VALUE), Instant.ofEpochMilli(Long.MIN_VALUE), Instant.MAX.minusNanos(999_999),
    Instant.MIN, null
  };
  static final long[] SEQS = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42};

  static LabeledTensorRecord labeled(String model, long seq, Instant time, Tensor input, Tensor target) {
    LabeledTensorRecord r = new LabeledTensorRecord();
    r.setModel(model);
    r.setSeq(seq);
    if (time != null) {
      r.setEventTime(time);
    }
    r.setInput(input);
    r.setTarget(target);
    return r;
  }

  static TensorRecord unlabeled(String key, long seq, Instant time, Tensor tensor) {
    TensorRecord r = new TensorRecord();
    r.setKey(key);
    r.setSeq(seq);
    if (time != null) {
      r.setEventTime(time);
    }
    r.setTensor(tensor);
    return r;
  }

  /** The main job's records (28x28 input, 26x26 target) of both dtypes, and odd sizes. */
  static List<LabeledTensorRecord> validLabeled(Random rng) {
    List<LabeledTensorRecord> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      DType dtype = i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
      int h = i < 4 ? 28 : 1 + rng.nextInt(40);
      int w = i < 4 ? 28 : 3 + rng.nextInt(40);
      out.add(labeled("model-" + i, i, Instant.ofEpochMilli(1_700_000_000_000L + i),
          random(rng, dtype, h, w), random(rng, dtype, Math.max(1, h - 2), w - 2)));
    }
    return out;
  }

  /** Every adversarial tensor as input and as target, and every key, seq and time. */
  static List<LabeledTensorRecord> adversarialLabeled(Random rng) {
    List<LabeledTensorRecord> out = new ArrayList<>();
    Tensor valid = random(rng, DType.FLOAT32, 3, 3);
    for (Tensor t : adversarialTensors(rng)) {
      out.add(labeled("m", 1, TIMES[0], t, valid));
      out.add(labeled("m", 2, TIMES[0], valid, t));
    }
    for (int i = 0; i < Math.max(KEYS.length, Math.max(TIMES.length, SEQS.length)); i++) {
      out.add(labeled(KEYS[i % KEYS.length], SEQS[i % SEQS.length], TIMES[i % TIMES.length], valid, valid));
    }
    out.add(new LabeledTensorRecord());
    return out;
  }

  static List<TensorRecord> validUnlabeled(Random rng) {
    List<TensorRecord> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      out.add(unlabeled("key-" + i, i, Instant.ofEpochMilli(1_700_000_000_000L + i),
          random(rng, i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64, 1 + rng.nextInt(30), 1 + rng.nextInt(30))));
    }
    return out;
  }

  static List<TensorRecord> adversarialUnlabeled(Random rng) {
    List<TensorRecord> out = new ArrayList<>();
    for (Tensor t : adversarialTensors(rng)) {
      out.add(unlabeled("k", 1, TIMES[0], t));
    }
    Tensor valid = random(rng, DType.FLOAT64, 2, 5);
    for (int i = 0; i < Math.max(KEYS.length, Math.max(TIMES.length, SEQS.length)); i++) {
      out.add(unlabeled(KEYS[i % KEYS.length], SEQS[i % SEQS.length], TIMES[i % TIMES.length], valid));
    }
    out.add(new TensorRecord());
    return out;
  }
}
