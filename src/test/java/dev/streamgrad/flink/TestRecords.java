package dev.streamgrad.flink;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.records.TensorCodec;
import java.time.Instant;
import java.util.Random;

/** Builders of valid (and deliberately broken) records for the operator tests. */
public final class TestRecords {
  private TestRecords() {}

  public static LabeledTensorRecord labeled(String model, long seq, Tensor input, Tensor target) {
    return LabeledTensorRecord.newBuilder()
        .setModel(model)
        .setSeq(seq)
        .setEventTime(Instant.ofEpochMilli(1_000 * seq))
        .setInput(TensorCodec.encode(input, DType.FLOAT64))
        .setTarget(TensorCodec.encode(target, DType.FLOAT64))
        .build();
  }

  /** A random labeled record whose target is {@code 0.5 * sum} of a 3x3 window (learnable). */
  public static LabeledTensorRecord random(String model, long seq, Random rng, int h, int w, int kh, int kw) {
    Tensor input = Tensor.randn(rng, h, w);
    Tensor target = Tensor.randn(rng, h - kh + 1, w - kw + 1).mul(0.1);
    return labeled(model, seq, input, target);
  }

  public static TensorRecord tensor(String key, long seq, Tensor t, DType dtype) {
    return TensorRecord.newBuilder()
        .setKey(key)
        .setSeq(seq)
        .setEventTime(Instant.ofEpochMilli(1_000 * seq))
        .setTensor(TensorCodec.encode(t, dtype))
        .build();
  }

  public static FilterSnapshot snapshot(String model, long version, Tensor filter, double bias) {
    return FilterSnapshot.newBuilder()
        .setModel(model)
        .setVersion(version)
        .setFilter(TensorCodec.encode(filter, DType.FLOAT64))
        .setBias(bias)
        .setLoss(Double.NaN)
        .setRecords(version)
        .setEventTime(Instant.ofEpochMilli(0))
        .build();
  }
}
