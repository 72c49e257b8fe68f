package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.AvroPayloads;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.TensorCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid single-object encoded records at random (fixed seed): every mutant either decodes
 * to a record that the operator processes (trained on, forwarded, predicted), or becomes a dead
 * letter (at decoding or in the operator); nothing throws, and records in = out + dead.
 */
// the harnesses' close() declares InterruptedException, which try-with-resources lint flags
@SuppressWarnings("try")
class RecordFuzzTest {
  private static final int CASES = 5000;

  @Test
  void everyMutantLabeledRecordIsTrainedOnOrBecomesADeadLetter() throws Exception {
    Random rng = new Random(20261129L);
    List<byte[]> seeds = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int h = 3 + rng.nextInt(4);
      int w = 3 + rng.nextInt(4);
      LabeledTensorRecord r = TestRecords.random("m" + i, i, rng, h, w, 2, 2);
      if (i % 2 == 1) {
        r.setInput(TensorCodec.encode(TensorCodec.decode(r.getInput()), DType.FLOAT32));
      }
      seeds.add(bytes(AvroPayloads.encode(r)));
    }
    int decodeDead = 0;
    List<LabeledTensorRecord> decoded = new ArrayList<>();
    for (int c = 0; c < CASES; c++) {
      byte[] mutant = mutate(seeds.get(rng.nextInt(seeds.size())), rng);
      try {
        decoded.add(AvroPayloads.decode(mutant, LabeledTensorRecord.class));
      } catch (InvalidRecordException e) {
        DeadLetter d = DeadLetters.ofBytes("decode", e.reason(), null, mutant);
        assertThat(d.getReason()).startsWith("cannot decode ");
        decodeDead++;
      }
    }
    LayerSpec layer = Conv2dSpec.seeded(2, 2, 3);
    TrainConfig train = new TrainConfig(OptimizerSpec.sgd(0.001, 0.5, 0, 0, false), 2, 50);
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(layer, train)) {
      for (LabeledTensorRecord r : decoded) {
        h.processElement(r, 0);
      }
      h.processWatermark(Long.MAX_VALUE);
      List<DeadLetter> dead = TrainerHarness.deadLetters(h);
      long trained = 0;
      for (String model : decoded.stream().map(Operators::modelKey).distinct().toList()) {
        TrainerState s = TrainerHarness.state(h, model);
        trained += s == null ? 0 : s.records;
      }
      assertThat(trained + dead.size()).as("trained + dead letters = decoded records").isEqualTo(decoded.size());
      assertThat(decodeDead + decoded.size()).isEqualTo(CASES);
      // the fuzzer must exercise every path, not only one
      assertThat(decodeDead).isGreaterThan(CASES / 20);
      assertThat(dead.size()).isGreaterThan(CASES / 20);
      assertThat(trained).isGreaterThan(CASES / 20);
    }
  }

  @Test
  void everyMutantTensorRecordIsForwardedPredictedOrADeadLetter() throws Exception {
    Random rng = new Random(7L);
    List<byte[]> seeds = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Tensor t = Tensor.randn(rng, 3 + rng.nextInt(4), 3 + rng.nextInt(4));
      seeds.add(bytes(AvroPayloads.encode(TestRecords.tensor("k" + i, i, t, i % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64))));
    }
    List<TensorRecord> decoded = new ArrayList<>();
    for (int c = 0; c < CASES; c++) {
      try {
        decoded.add(AvroPayloads.decode(mutate(seeds.get(rng.nextInt(seeds.size())), rng), TensorRecord.class));
      } catch (InvalidRecordException e) {
        assertThat(e.reason()).startsWith("cannot decode ");
      }
    }
    LayerSpec layer = Conv2dSpec.seeded(2, 2, 3);
    try (OneInputStreamOperatorTestHarness<TensorRecord, TensorRecord> h =
        ProcessFunctionTestHarnesses.forProcessFunction(new ForwardFunction(layer))) {
      for (TensorRecord r : decoded) {
        h.processElement(r, 0);
      }
      int dead = h.getSideOutput(DeadLetters.TAG) == null ? 0 : h.getSideOutput(DeadLetters.TAG).size();
      assertThat(h.extractOutputValues().size() + dead).isEqualTo(decoded.size());
      assertThat(dead).as("the fuzzer reaches the operator's dead letters").isGreaterThan(20);
    }
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h =
        PredictorFunctionTest.harness("shared")) {
      h.open();
      h.processBroadcastElement(TestRecords.snapshot("shared", 1, Tensor.randn(1L, 2, 3), 0.5), 0);
      for (TensorRecord r : decoded) {
        h.processElement(r, 0);
      }
      h.processBroadcastWatermark(Long.MAX_VALUE);
      h.processWatermark(Long.MAX_VALUE);
      int dead = PredictorFunctionTest.deadLetters(h).size();
      assertThat(PredictorFunctionTest.deadLetters(h)).extracting(DeadLetter::getReason)
          .noneMatch(reason -> reason.startsWith("no model"));
      assertThat(h.extractOutputValues().size() + dead).isEqualTo(decoded.size());
      assertThat(h.extractOutputValues().size()).isGreaterThan(CASES / 20);
    }
  }

  private static byte[] mutate(byte[] seed, Random rng) {
    byte[] b = seed.clone();
    int kind = rng.nextInt(6);
    switch (kind) {
      case 0: // flip a bit
        b[rng.nextInt(b.length)] ^= (byte) (1 << rng.nextInt(8));
        return b;
      case 1: // random byte
        b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
        return b;
      case 2: // truncate
        return Arrays.copyOf(b, rng.nextInt(b.length));
      case 3: { // insert a byte
        int at = rng.nextInt(b.length + 1);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) rng.nextInt(256);
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
      }
      case 4: { // delete a byte
        int at = rng.nextInt(b.length);
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
      }
      default: // several random bytes in the body (past the 10-byte header)
        for (int i = 0; i < 1 + rng.nextInt(4); i++) {
          b[10 + rng.nextInt(b.length - 10)] = (byte) rng.nextInt(256);
        }
        return b;
    }
  }

  private static byte[] bytes(ByteBuffer buf) {
    byte[] out = new byte[buf.remaining()];
    buf.duplicate().get(out);
    return out;
  }
}
