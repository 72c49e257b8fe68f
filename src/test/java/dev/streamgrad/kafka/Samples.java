package dev.streamgrad.kafka;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.avro.TensorRecord;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Valid records of every type, for codec tests. */
final class Samples {
  private Samples() {}

  static Tensor tensor(Random rnd, int rows, int cols) {
    ByteBuffer data = ByteBuffer.allocate(rows * cols * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows * cols; i++) {
      data.putDouble(rnd.nextGaussian());
    }
    data.flip();
    return Tensor.newBuilder().setShape(List.of(rows, cols)).setDtype(DType.FLOAT64).setData(data).build();
  }

  static LabeledTensorRecord labeled(String model, long seq) {
    Random rnd = new Random(seq);
    return LabeledTensorRecord.newBuilder()
        .setModel(model)
        .setSeq(seq)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + seq))
        .setInput(tensor(rnd, 5, 7))
        .setTarget(tensor(rnd, 3, 5))
        .build();
  }

  static TensorRecord tensorRecord(String key, long seq) {
    return TensorRecord.newBuilder()
        .setKey(key)
        .setSeq(seq)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + seq))
        .setTensor(tensor(new Random(seq), 4, 4))
        .build();
  }

  static FilterSnapshot snapshot(String model, long version) {
    return FilterSnapshot.newBuilder()
        .setModel(model)
        .setVersion(version)
        .setFilter(tensor(new Random(version), 3, 3))
        .setBias(0.25)
        .setLoss(Double.NaN)
        .setRecords(version * 2)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .build();
  }

  static Prediction prediction(String key, long seq) {
    return Prediction.newBuilder()
        .setKey(key)
        .setSeq(seq)
        .setModel("m")
        .setModelVersion(7)
        .setOutput(tensor(new Random(seq), 2, 3))
        .build();
  }

  static PredictionScore predictionScore(String key, long seq) {
    return PredictionScore.newBuilder()
        .setKey(key)
        .setSeq(seq)
        .setModel("m")
        .setModelVersion(7)
        .setLoss(0.25)
        .setLabelDelayMs(1_500)
        .setEventTime(Instant.ofEpochMilli(1_000 * seq))
        .setLabelEventTime(Instant.ofEpochMilli(1_000 * seq + 1_500))
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setStage("trainer")
        .setReason("shape [3, 4] does not match [3, 5]")
        .setKey("m")
        .setSeq(3L)
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .build();
  }
}
