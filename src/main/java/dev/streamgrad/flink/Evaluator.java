package dev.streamgrad.flink;

import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.drift.DetectorState;
import dev.streamgrad.drift.DriftDetector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a model on the stream it learns from, in its {@link EvaluationState}: test-then-train
 * (prequential) evaluation as River's {@code progressive_val_score}, an optional holdout, tumbling
 * event-time windows and a drift detector on the prequential loss.
 *
 * <p>What is computed: a trained record's prequential loss is its {@code mse_loss} under the model
 * as the record met it, i.e. before its update; with mini-batches that is the model before the
 * update of the record's batch (the model only changes when a batch is applied). That loss is the
 * one the trainer computes for the gradient anyway, so evaluation costs no second forward pass.
 * A held-out record (every {@code holdoutEvery}-th record the model takes, counted over trained and
 * held-out records) gets the same forward pass and loss but no backward pass and no update.
 *
 * <p>Event-time windows are tumbling, {@code eventTimeWindowMillis} long and aligned to the epoch,
 * per model, closed by the model's own records: the first record whose event time falls in a later
 * window closes the open one (and at end of input the open one closes too). A record whose event
 * time falls before the open window (out of order) counts in the open window; closed windows are
 * never reopened.
 *
 * <p>Changes happen in two steps so that a record the trainer then rejects (a non-finite gradient or
 * update) leaves no trace: {@link #detect} only computes the detector's next state; the trainer
 * commits with {@link #trained} once the record is taken.
 */
final class Evaluator {
  /** Drifts kept for the next snapshot at most; older ones are still on the side output. */
  static final int MAX_PENDING_DRIFTS = 1000;

  private final EvaluationConfig config;
  private final DriftConfig drift;
  private final DriftDetector detector;

  Evaluator(EvaluationConfig config, DriftConfig drift) {
    this.config = config;
    this.drift = drift;
    this.detector = drift == null ? null : drift.detector().create();
  }

  /** What the detector made of a trained record's loss, not yet committed. */
  record Detection(boolean fired, DetectorState next) {}

  /** The state's evaluation, made when the state has none yet (a new model or an older savepoint). */
  static EvaluationState of(TrainerState s) {
    if (s.evaluation == null) {
      s.evaluation = new EvaluationState();
    }
    return s.evaluation;
  }

  /** Whether the model's next record is held out (evaluated, not trained on). */
  boolean holdsOut(TrainerState s) {
    int k = config.holdoutEvery();
    return k > 0 && ((s.evaluation == null ? 0 : s.evaluation.seen) + 1) % k == 0;
  }

  /** Whether a drift reaction clears the optimizer state. */
  boolean resetsOptimizer() {
    return drift != null && drift.resetOptimizer();
  }

  /** The detector's verdict on {@code loss}, leaving {@code s} as it is; null without {@code train.drift}. */
  Detection detect(TrainerState s, double loss) {
    if (detector == null) {
      return null;
    }
    EvaluationState e = s.evaluation;
    if (e == null || e.detectorCounts == null) {
      detector.reset();
    } else {
      try {
        detector.restore(new DetectorState(e.detectorCounts, e.detectorValues));
      } catch (IllegalArgumentException notThisDetector) {
        // a savepoint of a job whose spec named another detector: this one starts afresh
        detector.reset();
      }
    }
    boolean fired = detector.update(loss);
    return new Detection(fired, detector.snapshot());
  }

  /**
   * Commits a trained record: its loss into the rolling mean and its window, the detection (may be
   * null) into the detector's state and, when it fired, the drift for the next snapshot.
   *
   * @param version the model version the record was evaluated with
   * @return the drift event when the detector fired, else null
   */
  DriftEvent trained(TrainerState s, String model, long seq, double loss, long eventTime, long version,
      Detection d) {
    EvaluationState e = of(s);
    e.seen++;
    e.prequential.add(loss, config.window());
    window(e, eventTime);
    e.windowSum += loss;
    e.windowCount++;
    if (d == null) {
      return null;
    }
    DetectorState next = d.next();
    e.detectorCounts = next.counts();
    e.detectorValues = next.values();
    if (!d.fired()) {
      return null;
    }
    e.drifts++;
    if (e.driftSeq.length == MAX_PENDING_DRIFTS) {
      dropOldestDrift(e);
    }
    e.driftSeq = append(e.driftSeq, seq);
    e.driftRecords = append(e.driftRecords, s.records);
    e.driftVersion = append(e.driftVersion, version);
    e.driftLoss = Arrays.copyOf(e.driftLoss, e.driftLoss.length + 1);
    e.driftLoss[e.driftLoss.length - 1] = loss;
    e.driftTime = append(e.driftTime, eventTime);
    return event(model, e, e.driftSeq.length - 1);
  }

  /** Commits a held-out record's loss. */
  void heldOut(TrainerState s, double loss, long eventTime) {
    EvaluationState e = of(s);
    e.seen++;
    e.heldOut++;
    e.holdout.add(loss, holdoutWindow());
    window(e, eventTime);
    e.windowHoldoutSum += loss;
    e.windowHoldoutCount++;
  }

  /**
   * How many held-out losses the holdout mean is over: those among about the model's last
   * {@code window} records, {@code window / holdoutEvery} (at least 1), so that the holdout and the
   * prequential mean describe the same stretch of the stream.
   */
  int holdoutWindow() {
    int k = config.holdoutEvery();
    return k == 0 ? config.window() : Math.max(1, config.window() / k);
  }

  /** At end of input: closes the open event-time window. */
  void endOfInput(TrainerState s) {
    if (s.evaluation != null) {
      close(s.evaluation);
    }
  }

  /** The prequential rolling mean, NaN when none. */
  static double prequentialLoss(TrainerState s) {
    return s.evaluation == null ? Double.NaN : s.evaluation.prequential.mean();
  }

  /** The holdout rolling mean, NaN when none. */
  static double holdoutLoss(TrainerState s) {
    return s.evaluation == null ? Double.NaN : s.evaluation.holdout.mean();
  }

  /** The last closed event-time window's mean prequential loss, NaN when none. */
  static double windowLoss(TrainerState s) {
    return s.evaluation == null ? Double.NaN : s.evaluation.closedLoss;
  }

  /** The snapshot's evaluation; the drifts it reports are then forgotten. */
  Evaluation snapshot(TrainerState s, String model) {
    EvaluationState e = of(s);
    List<DriftEvent> drifts = new ArrayList<>();
    for (int i = 0; i < e.driftSeq.length; i++) {
      drifts.add(event(model, e, i));
    }
    e.driftSeq = new long[0];
    e.driftRecords = new long[0];
    e.driftVersion = new long[0];
    e.driftLoss = new double[0];
    e.driftTime = new long[0];
    return Evaluation.newBuilder()
        .setWindow(config.window())
        .setPrequentialLoss(e.prequential.mean())
        .setPrequentialRecords(e.prequential.count)
        .setHoldoutLoss(e.holdout.mean())
        .setHoldoutRecords(e.holdout.count)
        .setHeldOut(e.heldOut)
        .setEventTimeWindow(config.eventTimeWindowMillis())
        .setWindowStart(Instant.ofEpochMilli(e.closedStart))
        .setWindowLoss(e.closedLoss)
        .setWindowRecords(e.closedCount)
        .setWindowHoldoutLoss(e.closedHoldoutLoss)
        .setWindowHoldoutRecords(e.closedHoldoutCount)
        .setDrifts(e.drifts)
        .setDriftEvents(drifts)
        .build();
  }

  private DriftEvent event(String model, EvaluationState e, int i) {
    return DriftEvent.newBuilder()
        .setModel(model)
        .setDetector(drift == null ? "" : drift.detector().type())
        .setReaction(drift == null ? "none" : drift.reaction())
        .setSeq(e.driftSeq[i])
        .setRecords(e.driftRecords[i])
        .setVersion(e.driftVersion[i])
        .setLoss(e.driftLoss[i])
        .setEventTime(Instant.ofEpochMilli(e.driftTime[i]))
        .build();
  }

  /** Moves to the window of {@code eventTime} when it is later than the open one. */
  private void window(EvaluationState e, long eventTime) {
    long w = config.eventTimeWindowMillis();
    long start = Math.floorDiv(eventTime, w) * w;
    boolean open = e.windowCount + e.windowHoldoutCount > 0;
    if (open && start > e.windowStart) {
      close(e);
    }
    if (!open || start > e.windowStart) {
      e.windowStart = start;
    }
  }

  private static void close(EvaluationState e) {
    if (e.windowCount + e.windowHoldoutCount == 0) {
      return;
    }
    e.closedStart = e.windowStart;
    e.closedCount = e.windowCount;
    e.closedLoss = e.windowCount == 0 ? Double.NaN : e.windowSum / e.windowCount;
    e.closedHoldoutCount = e.windowHoldoutCount;
    e.closedHoldoutLoss = e.windowHoldoutCount == 0 ? Double.NaN : e.windowHoldoutSum / e.windowHoldoutCount;
    e.windowSum = 0;
    e.windowCount = 0;
    e.windowHoldoutSum = 0;
    e.windowHoldoutCount = 0;
  }

  private static void dropOldestDrift(EvaluationState e) {
    e.driftSeq = Arrays.copyOfRange(e.driftSeq, 1, e.driftSeq.length);
    e.driftRecords = Arrays.copyOfRange(e.driftRecords, 1, e.driftRecords.length);
    e.driftVersion = Arrays.copyOfRange(e.driftVersion, 1, e.driftVersion.length);
    e.driftLoss = Arrays.copyOfRange(e.driftLoss, 1, e.driftLoss.length);
    e.driftTime = Arrays.copyOfRange(e.driftTime, 1, e.driftTime.length);
  }

  private static long[] append(long[] a, long v) {
    long[] c = Arrays.copyOf(a, a.length + 1);
    c[a.length] = v;
    return c;
  }

  @Override
  public String toString() {
    return config + (drift == null ? "" : ", " + drift);
  }
}
