package dev.streamgrad.job.spec;

import dev.streamgrad.flink.Staleness;

/**
 * {@code predict: {source, sink, model, maxModelAge, onStale, maxWaiting, labels, labelTimeout,
 * maxUnlabelled, scores}}: unlabeled records predicted with the newest filter the trainer has
 * emitted. {@code model} null: each record's key names its model.
 *
 * @param staleness how old a model may be to serve a record ({@link Staleness#UNBOUNDED} without
 *     {@code maxModelAge})
 * @param scoring the delayed labels and where the scores go, or null without {@code labels}
 */
public record PredictSpec(SourceSpec source, SinkSpec sink, String model, Staleness staleness,
    ScoringSpec scoring) {

  /** A predictor without a staleness bound and without labels. */
  public PredictSpec(SourceSpec source, SinkSpec sink, String model) {
    this(source, sink, model, Staleness.UNBOUNDED, null);
  }

  /** Whether every source of the predictor ends by itself. */
  public boolean bounded() {
    return source.bounded() && (scoring == null || scoring.labels().bounded());
  }
}
