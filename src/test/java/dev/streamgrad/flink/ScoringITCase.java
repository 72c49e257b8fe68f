package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.RecordTypeInfo;
import dev.streamgrad.records.TensorCodec;
import java.time.Instant;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Train, serve with a bounded model age, and score the served predictions against labels that
 * arrive on their own stream, at parallelism 2: every prediction is served by a snapshot at most
 * {@code maxModelAge} older than its record; every labelled prediction gets the mse of exactly the
 * output it was served with, its model version and label delay; a never-labelled prediction, a
 * label later than the timeout and a label without a prediction end as dead letters.
 */
class ScoringITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 2, 4);
  private static final long MAX_AGE = 20_000;

  @Test
  void servesFreshEnoughModelsAndScoresWhatTheyServed() throws Exception {
    Random rng = new Random(16);
    List<LabeledTensorRecord> training = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      training.add(TestRecords.random("a", i, rng, 9, 9, 3, 2));
      training.add(TestRecords.random("b", i, rng, 9, 9, 3, 2));
    }
    // records at 1000 * seq ms; labels 500 ms later, but none for seq 39, one 30 s late for seq 38,
    // and one for a record never sent
    List<TensorRecord> records = new ArrayList<>();
    List<LabeledTensorRecord> labels = new ArrayList<>();
    Map<String, Tensor> targets = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      for (String key : List.of("a", "b")) {
        records.add(TestRecords.tensor(key, i, Tensor.randn(rng, 6, 8), i % 3 == 0 ? DType.FLOAT32 : DType.FLOAT64));
        Tensor target = Tensor.randn(rng, 4, 7);
        targets.put(key + "#" + i, target);
        if (i != 39) {
          LabeledTensorRecord l = TestRecords.labeled(key, i, Tensor.zeros(1, 1), target);
          l.setEventTime(Instant.ofEpochMilli(1_000L * i + (i == 38 ? 30_000 : 500)));
          labels.add(l);
        }
      }
    }
    labels.add(TestRecords.labeled("a", 100, Tensor.zeros(1, 1), Tensor.zeros(4, 7)));

    StreamExecutionEnvironment env = TrainerParityITCase.env();
    SingleOutputStreamOperator<FilterSnapshot> train = Operators.train(
        env.fromData(training, RecordTypeInfo.LABELED).setParallelism(1), LAYER,
        new TrainConfig(OptimizerSpec.sgd(0.01, 0, 0, 0, false), 1, 15));
    SingleOutputStreamOperator<Prediction> predict = Operators.predict(
        env.fromData(records, RecordTypeInfo.UNLABELED).setParallelism(1), train, LAYER, null,
        new Staleness(MAX_AGE, Staleness.OnStale.WAIT, 100));
    SingleOutputStreamOperator<PredictionScore> score = Operators.score(predict,
        env.fromData(labels, RecordTypeInfo.LABELED).setParallelism(1),
        new LabelJoin(10_000, 1_000));
    CloseableIterator<Prediction> predsIt = predict.collectAsync();
    CloseableIterator<FilterSnapshot> snapsIt = train.collectAsync();
    CloseableIterator<PredictionScore> scoresIt = score.collectAsync();
    CloseableIterator<DeadLetter> predictDeadIt = predict.getSideOutput(DeadLetters.TAG).collectAsync();
    CloseableIterator<DeadLetter> scoreDeadIt = score.getSideOutput(DeadLetters.TAG).collectAsync();
    JobClient job = env.executeAsync("scoring");
    CompletableFuture<List<Prediction>> predsF = DeadLetterITCase.drainAsync(predsIt);
    CompletableFuture<List<FilterSnapshot>> snapsF = DeadLetterITCase.drainAsync(snapsIt);
    CompletableFuture<List<PredictionScore>> scoresF = DeadLetterITCase.drainAsync(scoresIt);
    CompletableFuture<List<DeadLetter>> predictDeadF = DeadLetterITCase.drainAsync(predictDeadIt);
    CompletableFuture<List<DeadLetter>> scoreDeadF = DeadLetterITCase.drainAsync(scoreDeadIt);
    job.getJobExecutionResult().get();

    Map<String, FilterSnapshot> snapshots = new HashMap<>();
    snapsF.get().forEach(s -> snapshots.put(s.getModel() + "@" + s.getVersion(), s));
    List<Prediction> preds = predsF.get();
    assertThat(predictDeadF.get()).as("the last snapshots are fresh for every record: none is left").isEmpty();
    assertThat(preds).hasSize(80);
    Map<String, Prediction> served = new HashMap<>();
    for (Prediction p : preds) {
      FilterSnapshot snap = snapshots.get(p.getModel() + "@" + p.getModelVersion());
      assertThat(snap).isNotNull();
      assertThat(p.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_000 * p.getSeq()));
      assertThat(p.getEventTime().toEpochMilli() - snap.getEventTime().toEpochMilli())
          .as("age of the model serving %s#%d", p.getKey(), p.getSeq()).isLessThanOrEqualTo(MAX_AGE);
      served.put(p.getKey() + "#" + p.getSeq(), p);
    }

    List<PredictionScore> scores = scoresF.get();
    assertThat(scores).hasSize(76);
    for (PredictionScore s : scores) {
      Prediction p = served.get(s.getKey() + "#" + s.getSeq());
      assertThat(s.getModel()).isEqualTo(p.getModel());
      assertThat(s.getModelVersion()).isEqualTo(p.getModelVersion());
      assertThat(s.getLabelDelayMs()).isEqualTo(500);
      assertThat(s.getEventTime()).isEqualTo(p.getEventTime());
      Tensor out = TensorCodec.decode(p.getOutput());
      Tensor target = targets.get(s.getKey() + "#" + s.getSeq());
      double sum = 0;
      for (int k = 0; k < out.numel(); k++) {
        double d = out.buffer()[k] - target.buffer()[k];
        sum += d * d;
      }
      assertThat(s.getLoss()).isCloseTo(sum / out.numel(), offset(1e-12));
    }
    assertThat(scores).extracting(PredictionScore::getSeq).doesNotContain(38L, 39L);

    List<DeadLetter> dead = scoreDeadF.get();
    assertThat(dead).extracting(DeadLetter::getStage).containsOnly(Uids.SCORER);
    assertThat(dead).extracting(d -> d.getReason().startsWith("prediction not scored") ? "prediction" : "label",
        DeadLetter::getKey, DeadLetter::getSeq).containsExactlyInAnyOrder(
        tuple("prediction", "a", 38L), tuple("prediction", "b", 38L), tuple("label", "a", 38L), tuple("label", "b", 38L),
        tuple("prediction", "a", 39L), tuple("prediction", "b", 39L), tuple("label", "a", 100L));
  }
}
