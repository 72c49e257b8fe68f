package dev.streamgrad.flink;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.autograd.Workspace;
import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.records.InvalidRecordException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's training step for any layer with parameters, outside Flink so that it can be tested
 * and benchmarked alone: the layer's forward, {@code mse_loss}, backward (the input does not
 * require grad) and the configured {@code torch.optim} step over every parameter, on a
 * {@link TrainerState} holding the model's state dict.
 *
 * <p>One module serves every model of an operator: each step loads the model's parameters into it.
 * States are in the state-dict layout: one restored from an older savepoint is migrated where it is
 * read ({@link TrainerFunction}, {@code ModelSavepoints}).
 * Mini-batches: the update uses the mean of the records' gradients, which is what PyTorch computes
 * for {@code mse_loss} of a stacked batch whose records have equal shapes. A record the layer
 * cannot take, or whose loss, gradient or update is not finite, is rejected with the state left
 * exactly as it was. Each taken record is also scored ({@link Evaluator}: its loss before its update
 * is its prequential loss; a held-out record is scored and not trained on), and the update itself is
 * {@link UpdateStep}'s (clipping, optimizer, learning-rate schedule).
 */
public final class ModelTrainer {
  private final LayerSpec layer;
  private final TrainConfig train;
  private final Module module;
  private final Map<String, Parameter> params;
  private final List<String> names;
  private final Map<String, double[]> initial = new HashMap<>();
  private final Evaluator evaluator;
  private final UpdateStep update;
  private DriftEvent lastDrift;
  private final Workspace workspace = new Workspace();

  public ModelTrainer(LayerSpec layer, TrainConfig train) {
    this.layer = layer;
    this.train = train;
    this.module = layer.create();
    this.params = module.namedParameters();
    if (params.isEmpty()) {
      throw new IllegalArgumentException("layer " + layer + " has no parameters to train");
    }
    this.names = new ArrayList<>(params.keySet());
    params.forEach((name, p) -> initial.put(name, p.toArray()));
    this.evaluator = new Evaluator(train.evaluation(), train.drift());
    this.update = new UpdateStep(train, module, params, names);
  }

  public TrainConfig config() {
    return train;
  }

  /** The parameter names in the module's order: the state dict's keys and the optimizer's indices. */
  public List<String> names() {
    return names;
  }

  /**
   * The state before the first record: the layer's initial parameters, no optimizer state (unless the
   * layer is a {@link TrainerSeed} that sets it).
   */
  public TrainerState initialState() {
    TrainerState s = new TrainerState();
    s.params = new HashMap<>();
    initial.forEach((name, v) -> s.params.put(name, v.clone()));
    if (layer instanceof TrainerSeed seed) {
      seed.seed(s); // a warm start: what its source carries besides the parameters
    }
    return s;
  }

  /**
   * The model's state dict in the module's order: copies of {@code s}'s parameters with their shapes.
   */
  public Map<String, Tensor> stateDict(TrainerState s) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : names) {
      out.put(name, Tensor.wrap(s.params.get(name).clone(), params.get(name).shape()));
    }
    return out;
  }

  /** {@link #offer(TrainerState, Tensor, Tensor, long, String, long)} for an unnamed model and record. */
  public boolean offer(TrainerState s, Tensor input, Tensor target, long eventTime) throws InvalidRecordException {
    return offer(s, input, target, eventTime, "", -1);
  }

  /**
   * Takes one example of model {@code model}: forward and loss, then either scores it as held out,
   * or trains on it (gradient now, the update when the mini-batch is full) and scores its loss as
   * its prequential loss; a drift the detector finds with it is then {@link #lastDrift()}.
   *
   * @param seq the record's seq, for a drift event
   * @return whether an optimizer update was applied
   * @throws InvalidRecordException when the example is rejected; {@code s} is then unchanged
   */
  public boolean offer(TrainerState s, Tensor input, Tensor target, long eventTime, String model, long seq)
      throws InvalidRecordException {
    // the step's large intermediates (the layer's output, the loss gradient) reuse the arrays of the
    // previous step: nothing made in the step is kept after it (gradients and parameters are copied)
    Workspace.Scope step = workspace.enter();
    try (step) {
      return step(s, input, target, eventTime, model, seq);
    }
  }

  private boolean step(TrainerState s, Tensor input, Tensor target, long eventTime, String model, long seq)
      throws InvalidRecordException {
    lastDrift = null;
    load(s);
    Tensor output = forward(module, input, "input");
    if (!Shapes.same(output.shape(), target.shape())) {
      throw new InvalidRecordException("target: shape " + Shapes.format(target.shape())
          + " does not match the layer's output shape " + Shapes.format(output.shape()) + " for input "
          + Shapes.format(input.shape()));
    }
    Tensor loss = MseLoss.mseLoss(output, target);
    double lossValue = loss.item();
    if (!Double.isFinite(lossValue)) {
      throw new InvalidRecordException("loss is " + lossValue + "; update skipped, state unchanged");
    }
    if (evaluator.holdsOut(s)) {
      evaluator.heldOut(s, lossValue, eventTime);
      return false;
    }
    LossGuard guard = train.lossGuard();
    String refusal = guard == null ? null : guard.judge(s, lossValue);
    if (refusal != null) {
      // the model is unchanged; only the guard counts the refusal (the caller keeps the state)
      guard.refused(s);
      throw new InvalidRecordException(refusal);
    }
    loss.backward();
    Map<String, double[]> grads = new HashMap<>();
    for (String name : names) {
      Tensor g = params.get(name).grad();
      double[] v = g == null ? new double[params.get(name).numel()] : g.toArray();
      UpdateStep.requireFinite("gradient of " + name, v);
      grads.put(name, v);
    }
    Evaluator.Detection drift = evaluator.detect(s, lossValue);
    boolean resetOptimizer = drift != null && drift.fired() && evaluator.resetsOptimizer();
    long versionBefore = s.version;

    boolean updated = s.batchCount + 1 >= train.batchSize();
    if (s.batchCount > 0) {
      for (String name : names) {
        double[] sum = s.batchGrads.get(name);
        double[] g = grads.get(name);
        for (int k = 0; k < g.length; k++) {
          g[k] = sum[k] + g[k];
        }
      }
    }
    if (updated) {
      int n = s.batchCount + 1;
      if (n > 1) {
        for (double[] g : grads.values()) {
          for (int k = 0; k < g.length; k++) {
            g[k] /= n;
          }
        }
      }
      update.apply(s, grads, resetOptimizer);
    } else {
      if (resetOptimizer) {
        s.optimizer = new HashMap<>();
      }
      s.batchGrads = grads;
      s.batchCount++;
    }
    if (guard != null) {
      guard.accepted(s, lossValue);
    }
    s.records++;
    s.lossSum += lossValue;
    s.lossCount++;
    s.eventTime = eventTime;
    lastDrift = evaluator.trained(s, model, seq, lossValue, eventTime, versionBefore, drift);
    return updated;
  }

  /** The drift the last {@link #offer} found, or null. */
  public DriftEvent lastDrift() {
    return lastDrift;
  }

  /** The model's evaluation for its snapshot (the drifts it reports are then forgotten). */
  public dev.streamgrad.avro.Evaluation evaluation(TrainerState s, String model) {
    return evaluator.snapshot(s, model);
  }

  /** At end of input: closes the model's open event-time window. */
  public void endOfInput(TrainerState s) {
    evaluator.endOfInput(s);
  }

  /**
   * The layer's output for {@code input}, checked by the layer: a shape it cannot take, or any other
   * failure of its code on this record, becomes an {@link InvalidRecordException} whose reason
   * starts with the record's {@code field}.
   */
  static Tensor forward(Module module, Tensor input, String field) throws InvalidRecordException {
    try {
      return module.forward(input);
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(field + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new InvalidRecordException(field + ": the layer failed on this record: " + e, e);
    }
  }

  /**
   * Applies the pending partial mini-batch, if any (at end of input, like a data loader without
   * {@code drop_last}).
   *
   * @return whether an update was applied
   * @throws InvalidRecordException when the update would make a parameter non-finite: the pending
   *     gradients are then discarded and the parameters are unchanged
   */
  public boolean flush(TrainerState s) throws InvalidRecordException {
    if (s.batchCount == 0) {
      return false;
    }
    int n = s.batchCount;
    Map<String, double[]> mean = new HashMap<>();
    s.batchGrads.forEach((name, sum) -> {
      double[] m = new double[sum.length];
      for (int k = 0; k < m.length; k++) {
        m[k] = sum[k] / n;
      }
      mean.put(name, m);
    });
    try {
      load(s);
      update.apply(s, mean, false);
    } catch (InvalidRecordException e) {
      UpdateStep.clearBatch(s);
      throw new InvalidRecordException("partial mini-batch of " + n + " records at end of input: " + e.reason(), e);
    }
    return true;
  }

  /** Whether a snapshot is due after an update: every {@code snapshotEvery} updates. */
  public boolean snapshotDue(TrainerState s) {
    return s.version % train.snapshotEvery() == 0;
  }

  /** Copies {@code s}'s parameters into the module and clears its gradients. */
  private void load(TrainerState s) {
    for (String name : names) {
      Parameter p = params.get(name);
      double[] v = s.params.get(name);
      System.arraycopy(v, 0, p.buffer(), 0, v.length);
      p.markModified();
      p.setGrad(null);
    }
  }

  @Override
  public String toString() {
    return "train " + layer + " " + train;
  }
}
