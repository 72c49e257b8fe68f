package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.records.TensorCodec;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticRecordsTest {
  private static final double[][] FILTER = {{1, -2, 0.5}, {0, 3, -1}};

  private static GeneratorSpec spec(double noise, DType dtype) {
    return new GeneratorSpec(100, 0, List.of("m0", "m1", "m2"), new int[] {6, 9}, 17, noise, dtype, FILTER, 0.75);
  }

  @Test
  void recordIBelongsToKeyIModNWithSeqIDivN() {
    SyntheticRecords r = new SyntheticRecords(spec(0.01, DType.FLOAT64));
    LabeledTensorRecord rec = r.labeled(7);
    assertThat(rec.getModel()).isEqualTo("m1");
    assertThat(rec.getSeq()).isEqualTo(2);
    assertThat(rec.getEventTime().toEpochMilli()).isEqualTo(SyntheticRecords.EPOCH + 7);
    assertThat(r.unlabeled(8).getKey()).isEqualTo("m2");
  }

  @Test
  void theSourcesReusingInstanceMakesTheSameRecordsInTheSameTwoByteArrays() {
    for (DType dtype : DType.values()) {
      SyntheticRecords fresh = new SyntheticRecords(spec(0.01, dtype));
      SyntheticRecords reusing = new SyntheticRecords(spec(0.01, dtype), true);
      byte[] input = null;
      byte[] target = null;
      for (long i = 0; i < 12; i++) {
        LabeledTensorRecord want = fresh.labeled(i);
        LabeledTensorRecord got = reusing.labeled(i);
        // compared before the next call, which overwrites the bytes: equal, field for field
        assertThat(got).as("%s record %d", dtype, i).isEqualTo(want);
        if (i > 0) {
          assertThat(got.getInput().getData().array()).isSameAs(input);
          assertThat(got.getTarget().getData().array()).isSameAs(target);
        }
        input = got.getInput().getData().array();
        target = got.getTarget().getData().array();
      }
      assertThat(fresh.labeled(1).getInput().getData().array()).isNotSameAs(fresh.labeled(2).getInput().getData().array());
    }
  }

  @Test
  void withoutNoiseTheTargetIsTheHiddenFilterCorrelatedWithTheInputPlusBias() throws Exception {
    for (DType dtype : DType.values()) {
      LabeledTensorRecord rec = new SyntheticRecords(spec(0, dtype)).labeled(3);
      Tensor in = TensorCodec.decode(rec.getInput());
      Tensor target = TensorCodec.decode(rec.getTarget());
      assertThat(in.shape()).containsExactly(6, 9);
      assertThat(target.shape()).containsExactly(5, 7);
      Tensor expected = Correlation.correlate2d(in, Tensor.of2d(FILTER), Mode.VALID).add(0.75);
      double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
      assertThat(target.allClose(expected, 0, tol)).as(dtype.toString()).isTrue();
    }
  }

  @Test
  void noiseHasTheGivenStandardDeviation() throws Exception {
    SyntheticRecords r = new SyntheticRecords(spec(0.5, DType.FLOAT64));
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (long i = 0; i < 200; i++) {
      LabeledTensorRecord rec = r.labeled(i);
      Tensor clean = Correlation.correlate2d(TensorCodec.decode(rec.getInput()), Tensor.of2d(FILTER), Mode.VALID);
      double[] t = TensorCodec.decode(rec.getTarget()).buffer();
      for (int k = 0; k < t.length; k++) {
        double e = t[k] - clean.buffer()[k] - 0.75;
        sum += e;
        sq += e * e;
        n++;
      }
    }
    assertThat(sum / n).isCloseTo(0, org.assertj.core.data.Offset.offset(0.03));
    assertThat(Math.sqrt(sq / n)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.02));
  }

  @Test
  void everyRecordIsAPureFunctionOfSeedAndIndex() {
    SyntheticRecords a = new SyntheticRecords(spec(0.01, DType.FLOAT64));
    SyntheticRecords b = new SyntheticRecords(spec(0.01, DType.FLOAT64));
    assertThat(b.labeled(42)).isEqualTo(a.labeled(42));
    assertThat(b.unlabeled(5)).isEqualTo(a.unlabeled(5));
    assertThat(a.labeled(42).getInput()).isNotEqualTo(a.labeled(43).getInput());
    GeneratorSpec other = new GeneratorSpec(100, 0, List.of("m0"), new int[] {6, 9}, 18, 0.01, DType.FLOAT64, FILTER, 0);
    assertThat(new SyntheticRecords(other).unlabeled(0).getTensor()).isNotEqualTo(a.unlabeled(0).getTensor());
  }
}
