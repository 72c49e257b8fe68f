package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.BadFft;
import dev.streamgrad.layers.BadFftLayer;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.FftMagnitude;
import dev.streamgrad.layers.FftMagnitudeLayer;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.records.TensorCodec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The forward operator applies the same modules as the layer tests and keeps key, seq and dtype. */
// the harnesses' close() declares InterruptedException, which try-with-resources lint flags
@SuppressWarnings("try")
class ForwardFunctionTest {
  private static List<TensorRecord> run(LayerSpec layer, List<TensorRecord> in, List<DeadLetter> dead)
      throws Exception {
    try (OneInputStreamOperatorTestHarness<TensorRecord, TensorRecord> h =
        ProcessFunctionTestHarnesses.forProcessFunction(new ForwardFunction(layer))) {
      for (TensorRecord r : in) {
        h.processElement(r, 0);
      }
      if (h.getSideOutput(DeadLetters.TAG) != null) {
        for (StreamRecord<DeadLetter> d : h.getSideOutput(DeadLetters.TAG)) {
          dead.add(d.getValue());
        }
      }
      return h.extractOutputValues();
    }
  }

  private static Tensor apply(Module m, Tensor x) {
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      return m.forward(x);
    }
  }

  @Test
  void appliesEachLayerAndKeepsKeySeqAndDtype() throws Exception {
    Tensor x = Tensor.randn(4L, 6, 7);
    Tensor x32 = TensorCodec.decode(TestRecords.tensor("k", 0, x, DType.FLOAT32).getTensor());
    double[][] filter = {{1, 0.5}, {-0.25, 2}};
    Object[][] cases = {
        {new FftMagnitudeLayer(), new FftMagnitude()},
        {new BadFftLayer(), new BadFft()},
        {Conv2dSpec.explicit(filter, 0.75), new Conv2d(Tensor.of2d(filter), Tensor.full(0.75, 1, 1))},
        {Conv2dSpec.seeded(3, 2, 11), new Conv2d(3, 2, 11)},
    };
    for (Object[] c : cases) {
      List<DeadLetter> dead = new ArrayList<>();
      List<TensorRecord> out = run((LayerSpec) c[0], List.of(TestRecords.tensor("a", 5, x, DType.FLOAT64),
          TestRecords.tensor("b", 6, x, DType.FLOAT32)), dead);
      assertThat(dead).isEmpty();
      assertThat(out).extracting(TensorRecord::getKey).containsExactly("a", "b");
      assertThat(out).extracting(TensorRecord::getSeq).containsExactly(5L, 6L);
      assertThat(out.get(0).getEventTime()).isEqualTo(TestRecords.tensor("a", 5, x, DType.FLOAT64).getEventTime());
      Tensor want = apply((Module) c[1], x);
      assertThat(out.get(0).getTensor().getDtype()).isEqualTo(DType.FLOAT64);
      assertThat(TensorCodec.decode(out.get(0).getTensor()).toArray()).as("%s", c[0]).containsExactly(want.toArray());
      assertThat(out.get(1).getTensor().getDtype()).isEqualTo(DType.FLOAT32);
      Tensor want32 = apply((Module) c[1], x32);
      double[] got32 = TensorCodec.decode(out.get(1).getTensor()).toArray();
      for (int k = 0; k < got32.length; k++) {
        assertThat(got32[k]).isEqualTo((double) (float) want32.buffer()[k]);
      }
    }
  }

  @Test
  void badRecordsBecomeDeadLetters() throws Exception {
    TensorRecord tooSmall = TestRecords.tensor("s", 1, Tensor.randn(1L, 2, 9), DType.FLOAT64);
    TensorRecord vector = TestRecords.tensor("v", 2, Tensor.randn(1L, 9), DType.FLOAT64);
    Tensor inf = Tensor.randn(1L, 4, 4);
    inf.buffer()[15] = Double.POSITIVE_INFINITY;
    TensorRecord infinite = TestRecords.tensor("i", 3, inf, DType.FLOAT64);
    List<DeadLetter> dead = new ArrayList<>();
    List<TensorRecord> out = run(Conv2dSpec.seeded(3, 3, 1), List.of(tooSmall, vector, infinite), dead);
    assertThat(out).isEmpty();
    assertThat(dead).extracting(DeadLetter::getReason).containsExactly(
        "tensor: conv2d input of shape [2, 9] is smaller than the filter of shape [3, 3]",
        "tensor: conv2d input: expected a 2-D tensor but got shape [9]",
        "tensor: tensor value Infinity at flat index 15 (index [3, 3]) is not finite");
    assertThat(dead).extracting(DeadLetter::getKey).containsExactly("s", "v", "i");
    assertThat(dead).extracting(DeadLetter::getStage).containsOnly(Uids.FORWARD);
  }

  @Test
  void aNonFiniteOutputIsADeadLetterNotARecord() throws Exception {
    // finite float64 inputs whose spectrum overflows: the sum of 16 values near the largest double
    TensorRecord huge = TestRecords.tensor("h", 1, Tensor.full(Double.MAX_VALUE / 2, 4, 4), DType.FLOAT64);
    List<DeadLetter> dead = new ArrayList<>();
    List<TensorRecord> out = run(new FftMagnitudeLayer(), List.of(huge), dead);
    assertThat(out).isEmpty();
    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.getReason()).startsWith("output value ").contains("is not finite");
      assertThat(d.getSeq()).isEqualTo(1L);
    });
  }
}
