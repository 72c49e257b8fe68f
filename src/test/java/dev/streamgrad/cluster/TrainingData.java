package dev.streamgrad.cluster;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Labeled records for the cluster tests. */
final class TrainingData {
  static final List<String> MODELS = List.of("model-a", "model-b");
  static final int KERNEL = 3;
  /** The hidden 3x3 filter (rows 0-2) and bias ([3][0]) the labeled records are made with. */
  static final double[][] TRUE = GeneratorSpec.drawTrueFilter(43, KERNEL, KERNEL);
  private static final SyntheticRecords RECORDS = new SyntheticRecords(new GeneratorSpec(
      Long.MAX_VALUE, 0, MODELS, new int[] {16, 16}, 42, 0.01, DType.FLOAT64,
      Arrays.copyOf(TRUE, KERNEL), TRUE[KERNEL][0]));

  private TrainingData() {}

  /**
   * Record {@code i} of the stream: model {@code i % 2}, a 16x16 input, target = correlate2d(input,
   * hidden filter, valid) + hidden bias + noise.
   */
  static LabeledTensorRecord learnable(long i) {
    return RECORDS.labeled(i);
  }

  static Tensor tensor(double[] values, int rows, int cols) {
    ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      data.putDouble(v);
    }
    data.flip();
    return Tensor.newBuilder().setShape(List.of(rows, cols)).setDtype(DType.FLOAT64).setData(data).build();
  }

  /** A random 6x6 input and a random 4x4 target (for plumbing tests, not learning). */
  static LabeledTensorRecord labeled(String model, long seq) {
    Random rnd = new Random(seq * 31 + model.hashCode());
    double[] in = new double[36];
    double[] out = new double[16];
    for (int i = 0; i < in.length; i++) {
      in[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = rnd.nextGaussian();
    }
    return LabeledTensorRecord.newBuilder()
        .setModel(model)
        .setSeq(seq)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + seq))
        .setInput(tensor(in, 6, 6))
        .setTarget(tensor(out, 4, 4))
        .build();
  }
}
