package dev.streamgrad.flink;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.optim.Optimizer;
import dev.streamgrad.optim.lr.LrScheduler;
import dev.streamgrad.optim.lr.SchedulerState;
import dev.streamgrad.records.InvalidRecordException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One optimizer update of a {@link ModelTrainer}, as a PyTorch loop writes it after
 * {@code loss.backward()}: {@code clip_grad_norm_} (when configured), {@code optimizer.step()} and
 * then {@code scheduler.step()} (when {@code train.lrSchedule} names one), on the optimizer and
 * scheduler state kept in {@link TrainerState}. The module holds the parameters before the update.
 */
final class UpdateStep {
  private final TrainConfig train;
  private final Module module;
  private final Map<String, Parameter> params;
  private final List<String> names;

  UpdateStep(TrainConfig train, Module module, Map<String, Parameter> params, List<String> names) {
    this.train = train;
    this.module = module;
    this.params = params;
    this.names = names;
  }

  /**
   * Applies {@code grads} (the mean gradients, by parameter name) to {@code s}: its parameters,
   * optimizer and scheduler state, version; clears the pending mini-batch.
   *
   * @param freshOptimizer start from an empty optimizer state (a drift reaction) instead of {@code s}'s
   * @throws InvalidRecordException when a parameter would become non-finite; {@code s} is then unchanged
   */
  void apply(TrainerState s, Map<String, double[]> grads, boolean freshOptimizer) throws InvalidRecordException {
    if (train.clip() != null) {
      // torch.nn.utils.clip_grad_norm_ between backward and step, over every parameter in order
      double[][] all = new double[names.size()][];
      for (int i = 0; i < all.length; i++) {
        all[i] = grads.get(names.get(i));
      }
      train.clip().clip(all);
    }
    for (String name : names) {
      Parameter p = params.get(name);
      p.setGrad(Tensor.wrap(grads.get(name), p.shape()));
    }
    Optimizer opt = train.optimizer().create(module.parameters());
    if (!freshOptimizer && !s.optimizer.isEmpty()) {
      opt.loadStateDict(s.optimizer);
    }
    LrScheduler scheduler = null;
    if (train.lrSchedule() != null) {
      // made as torch makes it before the loop (its initial step sets the first rate), then resumed
      scheduler = train.lrSchedule().create(opt);
      if (s.lrStepCount > 0) {
        scheduler.loadStateDict(new SchedulerState(s.lrLastEpoch, s.lrStepCount, s.lrBaseLr, s.lrLastLr));
      }
    }
    opt.step();
    if (scheduler != null) {
      scheduler.step();
    }
    Map<String, double[]> updated = new HashMap<>();
    for (String name : names) {
      double[] v = params.get(name).toArray();
      requireFinite("updated " + name, v);
      updated.put(name, v);
    }
    s.params = updated;
    s.optimizer = new HashMap<>(opt.stateDict());
    if (scheduler != null) {
      SchedulerState st = scheduler.stateDict();
      s.lrLastEpoch = st.lastEpoch();
      s.lrStepCount = st.stepCount();
      s.lrBaseLr = st.baseLr();
      s.lrLastLr = st.lastLr();
    }
    s.version++;
    clearBatch(s);
  }

  static void clearBatch(TrainerState s) {
    s.batchGrads = null;
    s.batchCount = 0;
  }

  static void requireFinite(String what, double[] v) throws InvalidRecordException {
    for (int k = 0; k < v.length; k++) {
      if (!Double.isFinite(v[k])) {
        throw new InvalidRecordException(what + " value " + v[k] + " at flat index " + k
            + " is not finite; update skipped, state unchanged");
      }
    }
  }
}
