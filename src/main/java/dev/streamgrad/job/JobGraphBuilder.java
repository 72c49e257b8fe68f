package dev.streamgrad.job;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.flink.DeadLetters;
import dev.streamgrad.flink.DriftEvents;
import dev.streamgrad.flink.Operators;
import dev.streamgrad.flink.Uids;
import dev.streamgrad.job.io.Sinks;
import dev.streamgrad.job.io.Sources;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.ScoringSpec;
import dev.streamgrad.job.spec.SourceSpec;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job graph of a spec, in one place:
 *
 * <pre>
 * forward:  source -> forward(layer) -> sink
 * train:    source -> train(layer, train) -> sink (filter snapshots)
 *                                 |-> drift events -> train.drift.events (with train.drift)
 *                                 \-> predict(layer) <- predict.source ; predict -> predict.sink
 *                                          \-> score <- predict.labels ; score -> predict.scores
 * every operator's dead letters -> deadLetters
 * </pre>
 *
 * Every operator has a stable uid ({@link Uids}), so savepoints restore across runs and
 * parallelism changes. Nothing rebalances between a source and the trainer's {@code keyBy}, which
 * keeps each model's records in order.
 */
public final class JobGraphBuilder {
  private JobGraphBuilder() {}

  /**
   * Adds the job of {@code spec} to {@code env} (whose configuration the caller set from {@link
   * JobConfig}); {@code runId} ({@link dev.streamgrad.job.io.RunId}, nullable) is part of the sinks'
   * file names and names the embedded run's {@link Progress}.
   */
  public static void build(StreamExecutionEnvironment env, JobSpec spec, String runId) {
    DataStream<DeadLetter> dead;
    if (spec.train() == null) {
      DataStream<TensorRecord> source = Sources.unlabeled(env, spec.source(), Uids.SOURCE);
      DataStream<TensorRecord> in = tapIn(source, runId);
      SingleOutputStreamOperator<TensorRecord> out = Operators.forward(in, spec.layer());
      dead = withSourceDeadLetters(out.getSideOutput(DeadLetters.TAG), spec.source(), source, runId, true);
      Sinks.add(count(out, runId, ProgressTaps.Counter.OUT, "progress-out"), spec.sink(), TensorRecord.class,
          Uids.SINK, runId);
    } else {
      DataStream<LabeledTensorRecord> source = Sources.labeled(env, spec.source(), Uids.SOURCE);
      DataStream<LabeledTensorRecord> in = tapIn(source, runId);
      SingleOutputStreamOperator<FilterSnapshot> snapshots = Operators.train(in, spec.layer(), spec.train());
      dead = withSourceDeadLetters(snapshots.getSideOutput(DeadLetters.TAG), spec.source(), source, runId, true);
      DataStream<FilterSnapshot> tapped = snapshots.map(new ProgressTaps.Snapshots(runId))
          .returns(snapshots.getType()).uid("progress-snapshots").name("progress (snapshots)");
      Sinks.add(tapped, spec.sink(), FilterSnapshot.class, Uids.SINK, runId);
      if (spec.driftEvents() != null) {
        Sinks.add(snapshots.getSideOutput(DriftEvents.TAG), spec.driftEvents(), DriftEvent.class,
            Uids.DRIFT_EVENT_SINK, runId);
      }
      if (spec.predict() != null) {
        DataStream<TensorRecord> unlabeled = Sources.unlabeled(env, spec.predict().source(), Uids.PREDICT_SOURCE);
        SingleOutputStreamOperator<Prediction> predictions =
            Operators.predict(unlabeled, snapshots, spec.layer(), spec.predict().model(), spec.predict().staleness());
        dead = withSourceDeadLetters(dead.union(predictions.getSideOutput(DeadLetters.TAG)),
            spec.predict().source(), unlabeled, runId, false);
        Sinks.add(count(predictions, runId, ProgressTaps.Counter.OUT, "progress-out"), spec.predict().sink(),
            Prediction.class, Uids.PREDICT_SINK, runId);
        ScoringSpec scoring = spec.predict().scoring();
        if (scoring != null) {
          DataStream<LabeledTensorRecord> labels = Sources.labeled(env, scoring.labels(), Uids.LABEL_SOURCE);
          SingleOutputStreamOperator<PredictionScore> scores = Operators.score(predictions, labels, scoring.join());
          dead = withSourceDeadLetters(dead.union(scores.getSideOutput(DeadLetters.TAG)), scoring.labels(), labels,
              runId, false);
          Sinks.add(scores, scoring.scores(), PredictionScore.class, Uids.SCORE_SINK, runId);
        }
      }
    }
    Sinks.add(count(dead, runId, ProgressTaps.Counter.DEAD, "progress-dead"), spec.deadLetters(), DeadLetter.class,
        Uids.DEAD_LETTER_SINK, runId);
  }

  /** Adds the dead letters of a source that makes its own (Kafka: undecodable values). */
  private static DataStream<DeadLetter> withSourceDeadLetters(DataStream<DeadLetter> dead, SourceSpec spec,
      DataStream<?> source, String runId, boolean countIn) {
    DataStream<DeadLetter> fromSource = Sources.deadLetters(spec, source);
    if (fromSource == null) {
      return dead;
    }
    // an undecodable value was read like any record: it counts in, so that in = out + dead letters
    return dead.union(countIn ? count(fromSource, runId, ProgressTaps.Counter.IN, "progress-in-undecodable")
        : fromSource);
  }

  private static <T> DataStream<T> tapIn(DataStream<T> source, String runId) {
    // same parallelism as the source: chained, no repartitioning before the keyBy
    return source.map(new ProgressTaps.Count<T>(runId, ProgressTaps.Counter.IN)).returns(source.getType())
        .setParallelism(source.getParallelism()).uid("progress-in").name("progress (records in)");
  }

  private static <T> DataStream<T> count(DataStream<T> stream, String runId, ProgressTaps.Counter c, String uid) {
    return stream.map(new ProgressTaps.Count<T>(runId, c)).returns(stream.getType())
        .setParallelism(stream.getParallelism()).uid(uid).name("progress (" + c.name().toLowerCase(
            java.util.Locale.ROOT) + ")");
  }
}
