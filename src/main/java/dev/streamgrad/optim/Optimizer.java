package dev.streamgrad.optim;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the optimizers: holds the parameters and per-parameter state buffers and applies an
 * update to every parameter that has a gradient, with grad mode off, writing the parameter's values
 * in place.
 *
 * <p>The state ({@link #stateDict()}) is what must be checkpointed to resume training exactly:
 * named {@code double[]} buffers per parameter index ({@code "0.exp_avg"}) plus the step count.
 *
 * <p>The learning rate is that of PyTorch's single parameter group ({@code param_groups[0]["lr"]}):
 * each {@link #step()} reads it afresh, so a learning-rate scheduler ({@code dev.streamgrad.optim.lr})
 * changes it between steps with {@link #setLr(double)}, as torch's schedulers write
 * {@code group["lr"]}. It is not part of {@link #stateDict()}; a scheduler's state carries it.
 */
public abstract class Optimizer {
  private final List<Parameter> params;
  /** Per parameter, its named buffers (momentum, moments, step). */
  private final List<Map<String, double[]>> state = new ArrayList<>();
  /** The learning rate the next {@link #step()} uses; set by the subclass constructor. */
  private double lr = Double.NaN;

  protected Optimizer(List<Parameter> params) {
    if (params.isEmpty()) {
      throw new IllegalArgumentException("optimizer got an empty parameter list");
    }
    this.params = List.copyOf(params);
    for (int i = 0; i < params.size(); i++) {
      state.add(new LinkedHashMap<>());
    }
  }

  public final List<Parameter> parameters() {
    return params;
  }

  /** The learning rate the next {@link #step()} uses. */
  public final double lr() {
    return lr;
  }

  /**
   * Sets the learning rate of the next steps (torch's {@code group["lr"] = lr}).
   *
   * @throws IllegalArgumentException if {@code lr} is negative, infinite or NaN, with torch's message
   */
  public final void setLr(double lr) {
    checkNonNegative("learning rate", lr);
    this.lr = lr;
  }

  /** Clears every parameter's gradient. */
  public final void zeroGrad() {
    for (Parameter p : params) {
      p.setGrad(null);
    }
  }

  /** Applies one update to every parameter with a gradient; parameters without one are skipped. */
  public final void step() {
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      for (int i = 0; i < params.size(); i++) {
        Parameter p = params.get(i);
        Tensor grad = p.grad();
        if (grad == null) {
          continue;
        }
        update(p.buffer(), grad.buffer(), state.get(i));
        p.markModified();
      }
    }
  }

  /**
   * Updates {@code param} in place from {@code grad} (not modified).
   *
   * @param state this parameter's buffers, empty before its first update; the method may add to it
   */
  protected abstract void update(double[] param, double[] grad, Map<String, double[]> state);

  /** Copies of the state buffers, keyed {@code "<param index>.<buffer>"}. */
  public final Map<String, double[]> stateDict() {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (int i = 0; i < state.size(); i++) {
      for (Map.Entry<String, double[]> e : state.get(i).entrySet()) {
        out.put(i + "." + e.getKey(), e.getValue().clone());
      }
    }
    return out;
  }

  /** Replaces the state buffers with copies of those in {@code saved} (as from {@link #stateDict()}). */
  public final void loadStateDict(Map<String, double[]> saved) {
    List<Map<String, double[]>> loaded = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      loaded.add(new LinkedHashMap<>());
    }
    for (Map.Entry<String, double[]> e : saved.entrySet()) {
      String key = e.getKey();
      int dot = key.indexOf('.');
      int index;
      try {
        index = Integer.parseInt(key.substring(0, Math.max(dot, 0)));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("bad optimizer state key '" + key + "'", ex);
      }
      if (index < 0 || index >= params.size()) {
        throw new IllegalArgumentException("optimizer state key '" + key + "' names parameter " + index
            + " but the optimizer has " + params.size());
      }
      String buffer = key.substring(dot + 1);
      int expected = "step".equals(buffer) ? 1 : params.get(index).numel();
      if (e.getValue().length != expected) {
        throw new IllegalArgumentException("optimizer state '" + key + "' has " + e.getValue().length
            + " values but parameter " + index + " of shape " + Shapes.format(params.get(index).shape())
            + " needs " + expected);
      }
      loaded.get(index).put(buffer, e.getValue().clone());
    }
    for (int i = 0; i < params.size(); i++) {
      state.set(i, loaded.get(i));
    }
  }

  static void checkNonNegative(String name, double value) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("Invalid " + name + " value: " + value);
    }
  }
}
