package dev.streamgrad.job.spec;

import static dev.streamgrad.job.spec.SpecChecks.fails;
import static dev.streamgrad.job.spec.SpecChecks.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.drift.DetectorSpec;
import dev.streamgrad.drift.PageHinkley;
import dev.streamgrad.flink.EvaluationConfig;
import dev.streamgrad.optim.lr.LrScheduleSpec;
import org.junit.jupiter.api.Test;

/** {@code train.lrSchedule}, {@code train.evaluation} and {@code train.drift}: torch's and River's defaults, errors with key paths. */
class EvaluationSpecTest {
  private static final String TRAIN = String.join("\n",
      "name: t",
      "source: {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
      "train:",
      "  optimizer: {type: sgd, lr: 0.01}",
      "  snapshotEvery: 10",
      "sink: {type: avro-file, path: out/t}",
      "");

  private static String with(String trainKeys) {
    return TRAIN.replace("  snapshotEvery: 10\n", "  snapshotEvery: 10\n" + trainKeys + "\n");
  }

  @Test
  void withoutTheKeysEvaluationHasItsDefaultsAndNothingElseIsOn() throws SpecException {
    JobSpec s = parse(TRAIN);
    assertThat(s.train().evaluation()).isEqualTo(EvaluationConfig.DEFAULT);
    assertThat(s.train().evaluation()).isEqualTo(new EvaluationConfig(1000, 60_000, 0));
    assertThat(s.train().lrSchedule()).isNull();
    assertThat(s.train().drift()).isNull();
    assertThat(s.driftEvents()).isNull();
  }

  @Test
  void schedulesTakeTorchsArgumentsAndDefaults() throws SpecException {
    assertThat(parse(with("  lrSchedule: {type: step, stepSize: 30}")).train().lrSchedule())
        .isEqualTo(new LrScheduleSpec.Step(30, 0.1));
    assertThat(parse(with("  lrSchedule: {type: multistep, milestones: [30, 80, 80], gamma: 0.5}")).train()
        .lrSchedule()).isEqualTo(new LrScheduleSpec.MultiStep(new long[] {30, 80, 80}, 0.5));
    assertThat(parse(with("  lrSchedule: {type: exponential, gamma: 0.99}")).train().lrSchedule())
        .isEqualTo(new LrScheduleSpec.Exponential(0.99));
    assertThat(parse(with("  lrSchedule: {type: cosine, tMax: 100}")).train().lrSchedule())
        .isEqualTo(new LrScheduleSpec.Cosine(100, 0));
    assertThat(parse(with("  lrSchedule: {type: linear}")).train().lrSchedule())
        .isEqualTo(new LrScheduleSpec.Linear(1.0 / 3, 1.0, 5));
  }

  @Test
  void scheduleErrorsNameTheKeyPath() {
    fails(with("  lrSchedule: {type: warmup}"),
        "jobs/x.yaml: train.lrSchedule.type: must be one of step, multistep, exponential, cosine, linear, got 'warmup'");
    fails(with("  lrSchedule: {type: step}"), "jobs/x.yaml: train.lrSchedule.stepSize: missing (epochs (updates)"
        + " between two decays)");
    fails(with("  lrSchedule: {type: step, stepSize: 0}"), "jobs/x.yaml: train.lrSchedule.stepSize: must be >= 1, got 0");
    fails(with("  lrSchedule: {type: exponential}"),
        "jobs/x.yaml: train.lrSchedule.gamma: missing (multiplicative factor per epoch (update))");
    fails(with("  lrSchedule: {type: cosine, tMax: 10, gamma: 0.5}"),
        "jobs/x.yaml: train.lrSchedule.gamma: unknown key (expected one of: type, tMax, etaMin)");
    fails(with("  lrSchedule: {type: multistep, milestones: [3, -1]}"), "jobs/x.yaml: train.lrSchedule.milestones:"
        + " expected a non-empty list of integers >= 0, got [3,-1] (element 1)");
    fails(with("  lrSchedule: {type: linear, startFactor: 0}"),
        "jobs/x.yaml: train.lrSchedule.startFactor: must be in (0, 1], got 0");
  }

  @Test
  void evaluationAndItsErrors() throws SpecException {
    assertThat(parse(with("  evaluation: {window: 50, eventTimeWindow: 10s, holdoutEvery: 10}")).train().evaluation())
        .isEqualTo(new EvaluationConfig(50, 10_000, 10));
    fails(with("  evaluation: {window: 0}"), "jobs/x.yaml: train.evaluation.window: must be >= 1, got 0");
    fails(with("  evaluation: {holdoutEvery: 1}"), "jobs/x.yaml: train.evaluation.holdoutEvery: must be 0 (no"
        + " holdout) or at least 2 (1 would hold out every record), got 1");
    fails(with("  evaluation: {eventTimeWindow: soon}"), "jobs/x.yaml: train.evaluation.eventTimeWindow: expected a"
        + " duration like 500ms, 10s, 2m or 1h, got string 'soon'");
    fails(with("  evaluation: {windw: 3}"), "jobs/x.yaml: train.evaluation.windw: unknown key (expected one of:"
        + " window, eventTimeWindow, holdoutEvery)");
  }

  @Test
  void driftTakesRiversParametersAndDefaultsAndItsEventsGoBesideTheSink() throws SpecException {
    JobSpec ph = parse(with("  drift: {detector: page-hinkley, threshold: 20, mode: up, reaction: reset-optimizer}"));
    assertThat(ph.train().drift().detector())
        .isEqualTo(new DetectorSpec.PageHinkleySpec(30, 0.005, 20, 1 - 0.0001, PageHinkley.Mode.UP));
    assertThat(ph.train().drift().resetOptimizer()).isTrue();
    assertThat(ph.driftEvents()).isEqualTo(new AvroFileSinkSpec("out/t-drift-events"));
    JobSpec adwin = parse(with("  drift: {detector: adwin, events: {type: print, stream: stderr}}"));
    assertThat(adwin.train().drift().detector()).isEqualTo(new DetectorSpec.AdwinSpec(0.002, 32, 5, 5, 10));
    assertThat(adwin.train().drift().resetOptimizer()).isFalse();
    assertThat(adwin.driftEvents()).isEqualTo(new PrintSinkSpec(true));
  }

  @Test
  void driftErrorsNameTheKeyPath() {
    fails(with("  drift: {reaction: none}"), "jobs/x.yaml: train.drift.detector: missing (required)");
    fails(with("  drift: {detector: ddm}"),
        "jobs/x.yaml: train.drift.detector: must be one of page-hinkley, adwin, got 'ddm'");
    fails(with("  drift: {detector: adwin, threshold: 3}"), "jobs/x.yaml: train.drift.threshold: unknown key"
        + " (expected one of: detector, delta, clock, maxBuckets, minWindowLength, gracePeriod, reaction, events)");
    fails(with("  drift: {detector: adwin, delta: 2}"), "jobs/x.yaml: train.drift.delta: must be in (0, 1), got 2");
    fails(with("  drift: {detector: page-hinkley, mode: sideways}"),
        "jobs/x.yaml: train.drift.mode: must be one of up, down, both, got 'sideways'");
    fails(with("  drift: {detector: page-hinkley, reaction: retrain}"),
        "jobs/x.yaml: train.drift.reaction: must be one of none, reset-optimizer, got 'retrain'");
    fails(with("  drift: {detector: adwin, events: {type: avro-file, path: out/t}}"),
        "jobs/x.yaml: train.drift.events.path: out/t is also the folder of sink.path; their files would mix");
  }
}
