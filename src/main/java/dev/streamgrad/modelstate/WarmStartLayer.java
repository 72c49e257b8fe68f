package dev.streamgrad.modelstate;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.TrainerSeed;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.optim.Optimizer;
import dev.streamgrad.optim.lr.SchedulerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A job spec's layer started from a model trained before ({@code train.init}): the layer as
 * configured, whose modules start with the parameters of a {@link StartingPoint} instead of the
 * configured initial ones. Every model the job trains starts from them. A new model's training state
 * also takes the source's version and record count (its snapshots go on counting from there), and
 * the optimizer's and the learning-rate scheduler's state when the source carries them (a
 * savepoint); otherwise they start afresh, as {@code torch.optim} does after {@code
 * load_state_dict} of the module alone.
 *
 * <p>The parameters are checked against the layer when the spec is read ({@link #of}), so a
 * mismatch is a spec error, never a failure inside the job.
 */
public final class WarmStartLayer implements LayerSpec, TrainerSeed {
  private static final long serialVersionUID = 1L;

  private final LayerSpec layer;
  private final String source;
  private final LinkedHashMap<String, double[]> params;
  private final LinkedHashMap<String, double[]> optimizer;
  private final long version;
  private final long records;
  /** The learning-rate scheduler's state (lastEpoch, stepCount, baseLr, lastLr), or null. */
  private final double[] schedule;

  private WarmStartLayer(LayerSpec layer, String source, LinkedHashMap<String, double[]> params,
      LinkedHashMap<String, double[]> optimizer, double[] schedule, long version, long records) {
    this.layer = layer;
    this.source = source;
    this.params = params;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.version = version;
    this.records = records;
  }

  /**
   * {@code layer} starting from {@code start}, checked: the parameter names and shapes must be the
   * layer's, and a carried optimizer state must be the kind {@code train}'s optimizer keeps.
   *
   * @throws IllegalArgumentException saying what does not fit
   */
  public static WarmStartLayer of(LayerSpec layer, TrainConfig train, StartingPoint start) {
    Module module = layer.create();
    Map<String, Tensor> state = start.stateDictFor(module);
    LinkedHashMap<String, double[]> params = new LinkedHashMap<>();
    state.forEach((name, t) -> params.put(name, t.toArray()));
    LinkedHashMap<String, double[]> optimizer = null;
    if (start.carriesOptimizer()) {
      if (!start.optimizer().isEmpty()) { // empty: the source's model had no update yet
        checkOptimizer(module, train, start.optimizer());
      }
      optimizer = new LinkedHashMap<>(start.optimizer());
    }
    SchedulerState sched = start.schedule();
    double[] schedule = sched == null ? null
        : new double[] {sched.lastEpoch(), sched.stepCount(), sched.baseLr(), sched.lastLr()};
    return new WarmStartLayer(layer, start.source(), params, optimizer, schedule, start.version(), start.records());
  }

  /** The configured layer, without the warm start. */
  public LayerSpec layer() {
    return layer;
  }

  /** Whether the optimizer's state comes from the source (else it starts afresh). */
  public boolean carriesOptimizer() {
    return optimizer != null;
  }

  /** One line for the run summary: where the parameters come from and what restarts. */
  public String describe() {
    return "from " + source + " (" + String.join(", ", params.keySet()) + "); version and records"
        + " continue from " + version + " and " + records + "; optimizer state " + (optimizer != null
        ? "from the savepoint" + (schedule != null ? " (with the learning-rate schedule's)" : "")
        : "restarts (the source does not carry it)");
  }

  @Override
  public String type() {
    return layer.type();
  }

  @Override
  public Module create() {
    Module m = layer.create();
    Map<String, Tensor> state = new LinkedHashMap<>();
    m.namedParameters().forEach((name, p) -> state.put(name, Tensor.wrap(params.get(name).clone(), p.shape())));
    m.loadStateDict(state);
    return m;
  }

  @Override
  public void seed(TrainerState s) {
    if (optimizer != null) {
      optimizer.forEach((k, v) -> s.optimizer.put(k, v.clone()));
    }
    if (schedule != null) {
      s.lrLastEpoch = (long) schedule[0];
      s.lrStepCount = (long) schedule[1];
      s.lrBaseLr = schedule[2];
      s.lrLastLr = schedule[3];
    }
    s.version = version;
    s.records = records;
    s.recordsAtSnapshot = records;
  }

  /**
   * Fails unless {@code saved} loads into {@code train}'s optimizer and holds the buffers it keeps
   * (those of one step): an Adam state for an SGD job is refused, not half used.
   */
  private static void checkOptimizer(Module module, TrainConfig train, Map<String, double[]> saved) {
    List<Parameter> ps = module.parameters();
    Optimizer probe = train.optimizer().create(ps);
    try {
      probe.loadStateDict(saved);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the optimizer state does not fit " + train.optimizer() + ": "
          + e.getMessage());
    }
    Optimizer fresh = train.optimizer().create(ps);
    for (Parameter p : ps) {
      p.setGrad(Tensor.zeros(p.shape()));
    }
    fresh.step();
    TreeSet<String> kept = buffers(fresh.stateDict());
    TreeSet<String> given = buffers(saved);
    if (!kept.equals(given)) {
      throw new IllegalArgumentException("the optimizer state holds " + given + " but " + train.optimizer()
          + " keeps " + kept + " (was the other job's optimizer another one?); start from the parameters alone"
          + " with train.init.file (streamgrad export --savepoint ... -o FILE) to restart the optimizer");
    }
  }

  private static TreeSet<String> buffers(Map<String, double[]> state) {
    TreeSet<String> names = new TreeSet<>();
    new ArrayList<>(state.keySet()).forEach(k -> names.add(k.substring(k.indexOf('.') + 1)));
    return names;
  }

  @Override
  public String toString() {
    return layer.toString();
  }
}
