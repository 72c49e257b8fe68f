package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.RecordTypeInfo;
import dev.streamgrad.records.TensorCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trainer snapshots broadcast to the predictor (parallelism 2): no record is predicted before its
 * model's first snapshot, none is dropped (they wait in state), each prediction is stamped with
 * the version whose filter produced it, and records of a model that never arrives become dead
 * letters at end of input.
 */
class PredictorITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 2, 4);

  /** {@code model}: "" for the key-names-the-model mode, else one model for every key. */
  @ParameterizedTest(name = "model=''{0}''")
  @ValueSource(strings = {"", "a"})
  void predictsWithStampedVersionsAfterBuffering(String fixedModel) throws Exception {
    String model = fixedModel.isEmpty() ? null : fixedModel;
    Random rng = new Random(8);
    List<LabeledTensorRecord> labeled = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      labeled.add(TestRecords.random("a", i, rng, 9, 9, 3, 2));
      labeled.add(TestRecords.random("b", i, rng, 9, 9, 3, 2));
    }
    List<TensorRecord> unlabeled = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String key = model == null ? (i % 2 == 0 ? "a" : "b") : "k" + (i % 5);
      unlabeled.add(TestRecords.tensor(key, i, Tensor.randn(rng, 6, 8), i % 3 == 0 ? DType.FLOAT32 : DType.FLOAT64));
    }
    if (model == null) {
      unlabeled.add(TestRecords.tensor("ghost", 0, Tensor.randn(rng, 6, 8), DType.FLOAT64));
      unlabeled.add(TestRecords.tensor("ghost", 1, Tensor.randn(rng, 6, 8), DType.FLOAT64));
    }

    StreamExecutionEnvironment env = TrainerParityITCase.env();
    SingleOutputStreamOperator<FilterSnapshot> train = Operators.train(
        env.fromData(labeled, RecordTypeInfo.LABELED).setParallelism(1), LAYER,
        new TrainConfig(OptimizerSpec.sgd(0.01, 0, 0, 0, false), 1, 15));
    SingleOutputStreamOperator<Prediction> predict = Operators.predict(
        env.fromData(unlabeled, RecordTypeInfo.UNLABELED).setParallelism(1), train, LAYER, model);
    CloseableIterator<Prediction> predsIt = predict.collectAsync();
    CloseableIterator<FilterSnapshot> snapsIt = train.collectAsync();
    CloseableIterator<DeadLetter> deadIt = predict.getSideOutput(DeadLetters.TAG).collectAsync();
    JobClient job = env.executeAsync("predictor");
    CompletableFuture<List<Prediction>> predsF = DeadLetterITCase.drainAsync(predsIt);
    CompletableFuture<List<FilterSnapshot>> snapsF = DeadLetterITCase.drainAsync(snapsIt);
    CompletableFuture<List<DeadLetter>> deadF = DeadLetterITCase.drainAsync(deadIt);
    job.getJobExecutionResult().get();
    List<Prediction> preds = predsF.get();
    List<FilterSnapshot> snaps = snapsF.get();

    Map<String, FilterSnapshot> byVersion = new HashMap<>();
    snaps.forEach(s -> byVersion.put(s.getModel() + "@" + s.getVersion(), s));
    assertThat(snaps).hasSize(8);
    assertThat(preds).hasSize(40);
    Map<String, TensorRecord> inputs = new HashMap<>();
    unlabeled.forEach(r -> inputs.put(r.getKey() + "#" + r.getSeq(), r));
    Map<String, Long> lastVersion = new HashMap<>();
    for (Prediction p : preds) {
      String m = model == null ? p.getKey() : model;
      assertThat(p.getModel()).isEqualTo(m);
      FilterSnapshot snap = byVersion.get(m + "@" + p.getModelVersion());
      assertThat(snap).as("prediction %s#%d stamped with an emitted version", p.getKey(), p.getSeq()).isNotNull();
      TensorRecord in = inputs.get(p.getKey() + "#" + p.getSeq());
      Tensor want;
      GradMode.Scope noGrad = GradMode.noGrad();
      try (noGrad) {
        want = new Conv2d(TensorCodec.decode(snap.getFilter()), Tensor.full(snap.getBias(), 1, 1))
            .forward(TensorCodec.decode(in.getTensor()));
      }
      DType dtype = in.getTensor().getDtype();
      assertThat(p.getOutput().getDtype()).isEqualTo(dtype);
      assertThat(p.getOutput()).isEqualTo(TensorCodec.encode(want, dtype));
      // per key, versions never go back
      assertThat(p.getModelVersion()).isGreaterThanOrEqualTo(lastVersion.getOrDefault(p.getKey(), 0L));
      lastVersion.put(p.getKey(), p.getModelVersion());
    }
    List<DeadLetter> dead = deadF.get();
    if (model == null) {
      assertThat(dead).extracting(DeadLetter::getReason)
          .containsExactly("no model 'ghost' arrived before end of input", "no model 'ghost' arrived before end of input");
      assertThat(dead).extracting(DeadLetter::getSeq).containsExactly(0L, 1L);
    } else {
      assertThat(dead).isEmpty();
    }
  }
}
