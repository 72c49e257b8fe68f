package dev.streamgrad.nn;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer or model, like {@code torch.nn.Module}: subclasses register parameters and child modules
 * in their constructor and implement {@link #forward}. Names are dotted paths ({@code "conv.filter"})
 * in registration order, as in PyTorch's state dicts.
 */
public abstract class Module {
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();

  /**
   * Applies the module to one input. Throws {@link IllegalArgumentException} naming the shapes when
   * it cannot take an input of that shape: a module checks its own input.
   */
  public abstract Tensor forward(Tensor input);

  /**
   * Applies the module to several inputs, e.g. a signal and a mask. A module of several inputs
   * overrides this method; by default a module takes exactly one, as {@link #forward(Tensor)}.
   */
  public Tensor forward(Tensor... inputs) {
    if (inputs.length != 1) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " takes one input, got " + inputs.length);
    }
    return forward(inputs[0]);
  }

  /**
   * The shape of {@link #forward(Tensor)}'s output for an input of {@code inputShape}; throws
   * {@link IllegalArgumentException} naming the shapes when the module cannot take such an input.
   * Streaming jobs check records with it before they train or predict. The default applies the
   * module to zeros without recording a graph; a module whose output shape is cheap to compute
   * overrides it.
   */
  public int[] outputShape(int... inputShape) {
    for (int d : inputShape) {
      if (d < 1) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": input shape " + Shapes.format(inputShape)
            + " has a dimension below 1");
      }
    }
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      return forward(Tensor.zeros(inputShape)).shape();
    }
  }

  /** Registers a parameter under {@code name} and returns it. */
  protected final Parameter registerParameter(String name, Parameter parameter) {
    checkName(name);
    parameters.put(name, parameter);
    return parameter;
  }

  /** Registers a child module under {@code name} and returns it. */
  protected final <M extends Module> M registerModule(String name, M module) {
    checkName(name);
    children.put(name, module);
    return module;
  }

  private void checkName(String name) {
    if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException("invalid or duplicate name '" + name + "' in " + getClass().getSimpleName());
    }
  }

  /** Every parameter of this module and its children, in registration order. */
  public final List<Parameter> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Parameters by dotted name, in registration order. */
  public final Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return Collections.unmodifiableMap(out);
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    parameters.forEach((name, p) -> out.put(prefix + name, p));
    children.forEach((name, m) -> m.collect(prefix + name + ".", out));
  }

  /** Clears every parameter's gradient (PyTorch's default {@code set_to_none=True}). */
  public final void zeroGrad() {
    for (Parameter p : parameters()) {
      p.setGrad(null);
    }
  }

  /** Copies of every parameter's values by dotted name: the model's state. */
  public final Map<String, Tensor> stateDict() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    namedParameters().forEach((name, p) -> out.put(name, p.copy()));
    return out;
  }

  /**
   * Copies values from {@code state} into the parameters, like {@code load_state_dict(strict=True)}:
   * missing or unexpected keys and shape mismatches are reported all at once and nothing is loaded.
   */
  public final void loadStateDict(Map<String, Tensor> state) {
    Map<String, Parameter> own = namedParameters();
    List<String> errors = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>(own.keySet());
    missing.removeAll(state.keySet());
    Set<String> unexpected = new LinkedHashSet<>(state.keySet());
    unexpected.removeAll(own.keySet());
    if (!missing.isEmpty()) {
      errors.add("Missing key(s) in state_dict: " + missing + ".");
    }
    if (!unexpected.isEmpty()) {
      errors.add("Unexpected key(s) in state_dict: " + unexpected + ".");
    }
    own.forEach((name, p) -> {
      Tensor v = state.get(name);
      if (v != null && !Shapes.same(v.shape(), p.shape())) {
        errors.add("size mismatch for " + name + ": copying a param with shape " + Shapes.format(v.shape())
            + " from checkpoint, the shape in current model is " + Shapes.format(p.shape()) + ".");
      }
    });
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName()
          + ":\n\t" + String.join("\n\t", errors));
    }
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      own.forEach((name, p) -> p.copyFrom(state.get(name)));
    }
  }
}
