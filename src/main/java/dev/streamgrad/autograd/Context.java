package dev.streamgrad.autograd;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link Function} call keeps for its backward, like PyTorch's {@code ctx}: saved tensors
 * (checked against in-place modification when read back), which inputs need a gradient, outputs
 * marked non-differentiable, whether missing output gradients arrive as zeros, and free-form
 * non-tensor values.
 */
public final class Context {
  private final boolean[] needsInputGrad;
  private final int[][] inputShapes;
  private Tensor[] saved = new Tensor[0];
  private int[] savedVersions = new int[0];
  private boolean released;
  private boolean materializeGrads = true;
  // made on first use: most functions never mark outputs or keep values, and a context is made per call
  private Set<Tensor> nonDifferentiable;
  private Map<String, Object> values;
  private final Function function;

  Context(Function function, boolean[] needsInputGrad, int[][] inputShapes) {
    this.function = function;
    this.needsInputGrad = needsInputGrad;
    this.inputShapes = inputShapes;
  }

  /** Saves tensors for backward; their version counters are recorded now and checked on read. */
  public void saveForBackward(Tensor... tensors) {
    saved = tensors.clone();
    savedVersions = new int[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
    }
  }

  /**
   * The tensors given to {@link #saveForBackward}, in order.
   *
   * @throws IllegalStateException when the graph was already freed by a backward without
   *     {@code retainGraph}, or when a saved tensor was modified in place after it was saved
   */
  public Tensor[] savedTensors() {
    if (released) {
      throw new IllegalStateException("Trying to backward through the graph a second time (or directly"
          + " access saved tensors after they have already been freed). Saved intermediate values of"
          + " the graph are freed when you call backward(). Specify retainGraph=true if you need to"
          + " backward through the graph a second time.");
    }
    for (int i = 0; i < saved.length; i++) {
      if (saved[i] != null && saved[i].version() != savedVersions[i]) {
        throw new IllegalStateException("one of the variables needed for gradient computation has been"
            + " modified by an inplace operation: [Tensor of shape " + Shapes.format(saved[i].shape())
            + "], saved by " + function.name() + " at index " + i + ", is at version "
            + saved[i].version() + "; expected version " + savedVersions[i] + " instead.");
      }
    }
    return saved.clone();
  }

  /** Whether input {@code i} needs a gradient; backward may return null for it when false. */
  public boolean needsInputGrad(int i) {
    return needsInputGrad[i];
  }

  /** Number of inputs the function was applied to. */
  public int inputCount() {
    return needsInputGrad.length;
  }

  /** Shape of input {@code i} as it was at forward time. */
  public int[] inputShape(int i) {
    return inputShapes[i].clone();
  }

  /** Marks outputs that have no gradient (indices, masks): they never require grad. */
  public void markNonDifferentiable(Tensor... outputs) {
    if (nonDifferentiable == null) {
      nonDifferentiable = Collections.newSetFromMap(new IdentityHashMap<>());
    }
    Collections.addAll(nonDifferentiable, outputs);
  }

  boolean isNonDifferentiable(Tensor output) {
    return nonDifferentiable != null && nonDifferentiable.contains(output);
  }

  /**
   * With {@code true} (the default) an output gradient that nothing produced is passed to backward
   * as zeros; with {@code false} it is passed as null and backward must handle it.
   *
   * <p>Notes about undefined output gradients: an output gradient is undefined when the output was
   * not used by what backward started from. Backward must treat it exactly as zeros: with
   * materialized gradients that is automatic; without, backward must check for null and return
   * what it would return for zeros (often null for the inputs it would otherwise feed).
   * {@link Gradcheck} checks this.
   */
  public void setMaterializeGrads(boolean value) {
    this.materializeGrads = value;
  }

  boolean materializeGrads() {
    return materializeGrads;
  }

  /** Stores a non-tensor value (a shape, a mode, a flag) for backward. */
  public void put(String key, Object value) {
    if (values == null) {
      values = new HashMap<>();
    }
    values.put(key, value);
  }

  /** Reads a value stored with {@link #put}. */
  public <T> T get(String key, Class<T> type) {
    Object v = values == null ? null : values.get(key);
    if (v == null && (values == null || !values.containsKey(key))) {
      throw new IllegalArgumentException("no value '" + key + "' was put in the context of " + function.name());
    }
    return type.cast(v);
  }

  /** Frees saved tensors after backward without retainGraph. */
  void release() {
    released = true;
    saved = new Tensor[0];
  }
}
