package dev.streamgrad.flink;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.records.RecordTypeInfo;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Builds streamgrad's operators into a job graph, each with its stable uid ({@link Uids}) and a
 * readable name. Dead letters of each: {@code op.getSideOutput(DeadLetters.TAG)}.
 *
 * <p>Per-key order: the trainer is order-sensitive (online learning). Connect it to its source
 * with no rebalance in between (the same parallelism, or {@code keyBy} right after the source), so
 * that each model's records reach it in the order they were produced.
 */
public final class Operators {
  private Operators() {}

  /** Applies {@code layer} to every record; same key, seq and dtype out. Uid {@value Uids#FORWARD}. */
  public static SingleOutputStreamOperator<TensorRecord> forward(DataStream<TensorRecord> in, LayerSpec layer) {
    return in.process(new ForwardFunction(layer), RecordTypeInfo.UNLABELED)
        .uid(Uids.FORWARD)
        .name("forward " + layer);
  }

  /**
   * Trains the parameters of {@code layer} per model (keyed by {@code model}); emits a snapshot
   * every {@code snapshotEvery} updates and at end of input. Uid {@value Uids#TRAINER}.
   */
  public static SingleOutputStreamOperator<FilterSnapshot> train(DataStream<LabeledTensorRecord> in,
      LayerSpec layer, TrainConfig train) {
    return in.keyBy(Operators::modelKey, Types.STRING)
        .process(new TrainerFunction(layer, train), new AvroTypeInfo<>(FilterSnapshot.class))
        .uid(Uids.TRAINER)
        .name("train " + layer + " " + train);
  }

  /**
   * Predicts every record with the newest snapshot of its model: {@code model}, or the record's key
   * when {@code model} is null. Records wait in state until their model's first snapshot. Uid
   * {@value Uids#PREDICTOR}.
   */
  public static SingleOutputStreamOperator<Prediction> predict(DataStream<TensorRecord> in,
      DataStream<FilterSnapshot> snapshots, LayerSpec layer, String model) {
    return predict(in, snapshots, layer, model, Staleness.UNBOUNDED);
  }

  /**
   * {@link #predict(DataStream, DataStream, LayerSpec, String)} serving only models fresh enough
   * for each record ({@link Staleness}).
   */
  public static SingleOutputStreamOperator<Prediction> predict(DataStream<TensorRecord> in,
      DataStream<FilterSnapshot> snapshots, LayerSpec layer, String model, Staleness staleness) {
    BroadcastStream<FilterSnapshot> broadcast = snapshots.broadcast(PredictorFunction.MODELS);
    return in.keyBy(Operators::recordKey, Types.STRING)
        .connect(broadcast)
        .process(new PredictorFunction(layer, model, staleness), new AvroTypeInfo<>(Prediction.class))
        .uid(Uids.PREDICTOR)
        .name("predict " + (model == null ? "(model = key)" : "model " + model));
  }

  /**
   * Joins {@code predictions} with their delayed {@code labels} (same key and seq; the label's
   * {@code model} is the key) and scores each served output ({@link ScoreFunction}). Both streams
   * get event-time timestamps from their records and watermarks that allow them to be out of order
   * by up to the label timeout; a stream idle for {@link #idleness} does not hold the others back.
   * Uid {@value Uids#SCORER}.
   */
  public static SingleOutputStreamOperator<PredictionScore> score(DataStream<Prediction> predictions,
      DataStream<LabeledTensorRecord> labels, LabelJoin join) {
    Duration outOfOrder = Duration.ofMillis(join.timeoutMs());
    DataStream<Prediction> timedPredictions = predictions.assignTimestampsAndWatermarks(
            WatermarkStrategy.<Prediction>forBoundedOutOfOrderness(outOfOrder)
                .withTimestampAssigner((p, ts) -> p == null || p.getEventTime() == null ? Long.MIN_VALUE
                    : p.getEventTime().toEpochMilli())
                .withIdleness(idleness(join)))
        .uid(Uids.SCORER + "-prediction-times").name("event time (predictions)");
    DataStream<LabeledTensorRecord> timedLabels = labels.assignTimestampsAndWatermarks(
            WatermarkStrategy.<LabeledTensorRecord>forBoundedOutOfOrderness(outOfOrder)
                .withTimestampAssigner((l, ts) -> l == null || l.getEventTime() == null ? Long.MIN_VALUE
                    : l.getEventTime().toEpochMilli())
                .withIdleness(idleness(join)))
        .uid(Uids.SCORER + "-label-times").name("event time (labels)");
    return timedPredictions.keyBy(p -> p == null || p.getKey() == null ? "" : p.getKey(), Types.STRING)
        .connect(timedLabels.keyBy(Operators::modelKey, Types.STRING))
        .process(new ScoreFunction(join), new AvroTypeInfo<>(PredictionScore.class))
        .uid(Uids.SCORER)
        .name("score predictions (labelTimeout " + join.timeoutMs() + " ms)");
  }

  /**
   * How long (processing time) a subtask of either stream may go without records before the
   * watermark moves on without it: a predictor subtask that serves no key would otherwise hold
   * every timer back until end of input. The label timeout, at least one minute.
   */
  static Duration idleness(LabelJoin join) {
    return Duration.ofMillis(Math.max(join.timeoutMs(), 60_000));
  }

  /** Null-safe: a record without a model goes to key "" and becomes a dead letter there. */
  static String modelKey(LabeledTensorRecord r) {
    return r == null || r.getModel() == null ? "" : r.getModel();
  }

  static String recordKey(TensorRecord r) {
    return r == null || r.getKey() == null ? "" : r.getKey();
  }
}
