package dev.streamgrad.flink;

/**
 * Stable operator uids: savepoints map state to operators by these, so they must never change
 * once released. The operators of {@link Operators} set {@link #FORWARD}, {@link #TRAINER},
 * {@link #PREDICTOR} and {@link #SCORER} themselves; the others are for the job graph's sources and sinks.
 */
public final class Uids {
  public static final String FORWARD = "forward";
  public static final String TRAINER = "trainer";
  public static final String PREDICTOR = "predictor";
  /** The join of predictions with their delayed labels ({@link Operators#score}). */
  public static final String SCORER = "scorer";

  public static final String SOURCE = "source";
  public static final String PREDICT_SOURCE = "predict-source";
  public static final String SINK = "sink";
  public static final String PREDICT_SINK = "predict-sink";
  public static final String LABEL_SOURCE = "label-source";
  public static final String SCORE_SINK = "score-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";
  /** The sink of the trainer's drift events ({@code train.drift.events}). */
  public static final String DRIFT_EVENT_SINK = "drift-event-sink";

  private Uids() {}
}
