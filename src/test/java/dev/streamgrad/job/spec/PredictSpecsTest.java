package dev.streamgrad.job.spec;

import static dev.streamgrad.job.spec.SpecChecks.fails;
import static dev.streamgrad.job.spec.SpecChecks.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.flink.LabelJoin;
import dev.streamgrad.flink.Staleness;
import org.junit.jupiter.api.Test;

/** The {@code predict} section's staleness and scoring keys: defaults, errors with their key paths. */
class PredictSpecsTest {
  private static final String TRAIN = String.join("\n",
      "name: t",
      "source: {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
      "train: {optimizer: {type: sgd, lr: 0.01}, snapshotEvery: 10}",
      "sink: {type: avro-file, path: out/t}",
      "predict:",
      "  source: {type: generator, count: 5, keys: [a]}",
      "  sink: {type: avro-file, path: out/t-predictions}",
      "");
  private static final String LABELS = String.join("\n",
      "  labels: {type: generator, count: 5, keys: [a], shape: [8, 8], seed: 3}",
      "  labelTimeout: 10m",
      "  scores: {type: avro-file, path: out/t-scores}",
      "");

  @Test
  void withoutTheNewKeysNothingChanges() throws SpecException {
    PredictSpec p = parse(TRAIN).predict();
    assertThat(p.staleness()).isEqualTo(Staleness.UNBOUNDED);
    assertThat(p.staleness().bounded()).isFalse();
    assertThat(p.scoring()).isNull();
  }

  @Test
  void readsTheStalenessBoundWithItsDefaults() throws SpecException {
    assertThat(parse(TRAIN + "  maxModelAge: 30s\n").predict().staleness())
        .isEqualTo(new Staleness(30_000, Staleness.OnStale.WAIT, Staleness.DEFAULT_MAX_WAITING));
    assertThat(parse(TRAIN + "  maxModelAge: 2m\n  onStale: dead-letter\n  maxWaiting: 7\n").predict().staleness())
        .isEqualTo(new Staleness(120_000, Staleness.OnStale.DEAD_LETTER, 7));
    assertThat(parse(TRAIN, "predict.maxModelAge=500").predict().staleness().maxAgeMs()).isEqualTo(500);
  }

  @Test
  void readsTheLabelsTheTimeoutAndTheScores() throws SpecException {
    JobSpec s = parse(TRAIN + LABELS);
    ScoringSpec scoring = s.predict().scoring();
    assertThat(scoring.join()).isEqualTo(new LabelJoin(600_000, LabelJoin.DEFAULT_MAX_WAITING));
    assertThat(((GeneratorSpec) scoring.labels()).count()).isEqualTo(5);
    assertThat(scoring.scores()).isEqualTo(new AvroFileSinkSpec("out/t-scores"));
    assertThat(s.bounded()).isTrue();
    assertThat(parse(TRAIN + LABELS + "  maxUnlabelled: 3\n").predict().scoring().join().maxWaiting()).isEqualTo(3);
  }

  @Test
  void errorsNameTheKeyPath() {
    fails(TRAIN + "  onStale: wait\n",
        "jobs/x.yaml: predict.onStale: needs predict.maxModelAge (without it every model serves, however old)");
    fails(TRAIN + "  maxModelAge: soon\n",
        "jobs/x.yaml: predict.maxModelAge: expected a duration like 500ms, 10s, 2m or 1h, got string 'soon'");
    fails(TRAIN + "  maxModelAge: 1s\n  onStale: drop\n",
        "jobs/x.yaml: predict.onStale: must be one of wait, dead-letter, got 'drop'");
    fails(TRAIN + "  maxModelAge: 1s\n  maxWaiting: 0\n", "jobs/x.yaml: predict.maxWaiting: must be >= 1, got 0");
    fails(TRAIN + "  labelTimeout: 1m\n",
        "jobs/x.yaml: predict.labelTimeout: needs predict.labels (the stream of labels to score the predictions with)");
    fails(TRAIN + LABELS.replace("  labelTimeout: 10m\n", ""), "jobs/x.yaml: predict.labelTimeout: missing (required"
        + " with predict.labels: the longest a prediction waits for its label, in event time, e.g. 10m)");
    fails(TRAIN + LABELS.replace("  scores: {type: avro-file, path: out/t-scores}\n", ""),
        "jobs/x.yaml: predict.scores: missing (required)");
    fails(TRAIN + LABELS.replace("out/t-scores", "out/t-predictions"), "jobs/x.yaml: predict.scores.path:"
        + " out/t-predictions is also the folder of predict.sink.path; their files would mix");
    fails(TRAIN + LABELS.replace("type: generator, count: 5", "type: kafak, count: 5"),
        "jobs/x.yaml: predict.labels.type: must be one of generator, avro-file, kafka, got 'kafak'");
  }
}
