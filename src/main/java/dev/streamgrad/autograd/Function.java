package dev.streamgrad.autograd;

import java.util.Arrays;

/**
 * A differentiable operation, the counterpart of {@code torch.autograd.Function}: subclasses
 * implement {@link #forward} and {@link #backward} side by side, and callers use {@link #apply}.
 *
 * <p>{@code forward} runs with grad mode off and may save tensors and values in the {@link
 * Context}. {@code backward} receives one gradient per output and returns one gradient per input,
 * or null for an input that needs none ({@link Context#needsInputGrad}). A gradient has its input's
 * shape, or a shape that the input's shape broadcasts to (the shape of a broadcast result): the
 * engine then sums it back to the input's shape, as PyTorch's {@code validate_outputs} does with
 * {@code sum_to_size}. Any other shape is rejected with an error naming this function, the index
 * and both shapes.
 *
 * <p>Instances may hold configuration (a mode, an exponent) but no per-call state: per-call state
 * belongs in the context, so one instance can be applied many times.
 */
public abstract class Function {

  /** Computes the outputs from the inputs; runs with grad mode disabled. */
  protected abstract Tensor[] forward(Context ctx, Tensor... inputs);

  /** Computes one gradient per input (null allowed) from one gradient per output. */
  protected abstract Tensor[] backward(Context ctx, Tensor... gradOutputs);

  /** Convenience for returning outputs from {@link #forward} and gradients from {@link #backward}. */
  protected static Tensor[] tensors(Tensor... tensors) {
    return tensors;
  }

  /**
   * The graph node's name in messages and {@code grad_fn}: the class name plus "Backward", as
   * PyTorch names custom functions (its built-in ops, which append a version number, override this
   * to print PyTorch's names such as {@code AddBackward0}).
   */
  public String name() {
    return getClass().getSimpleName() + "Backward";
  }

  /** Applies a single-output function. */
  public final Tensor apply(Tensor... inputs) {
    Tensor[] outputs = applyAll(inputs);
    if (outputs.length != 1) {
      throw new IllegalStateException(getClass().getSimpleName() + " has " + outputs.length
          + " outputs: use applyAll");
    }
    return outputs[0];
  }

  /** Applies the function, recording a graph node when grad mode is on and an input requires grad. */
  public final Tensor[] applyAll(Tensor... inputs) {
    boolean[] needs = new boolean[inputs.length];
    int[][] shapes = new int[inputs.length][];
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      if (inputs[i] == null) {
        throw new IllegalArgumentException(getClass().getSimpleName() + ": input " + i + " is null");
      }
      shapes[i] = inputs[i].shape();
      needs[i] = inputs[i].requiresGrad();
      any |= needs[i];
    }
    boolean record = any && GradMode.isEnabled();
    if (!record) {
      Arrays.fill(needs, false);
    }
    Context ctx = new Context(this, needs, shapes);
    Tensor[] outputs;
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      outputs = forward(ctx, inputs);
    }
    if (outputs == null || outputs.length == 0) {
      throw new IllegalStateException(getClass().getSimpleName() + ".forward returned no outputs");
    }
    outputs = outputs.clone();
    boolean[] differentiable = new boolean[outputs.length];
    for (int o = 0; o < outputs.length; o++) {
      if (outputs[o] == null) {
        throw new IllegalStateException(getClass().getSimpleName() + ".forward returned null output " + o);
      }
      differentiable[o] = !ctx.isNonDifferentiable(outputs[o]);
      for (Tensor input : inputs) {
        if (outputs[o] == input) {
          // An input returned as is must not have its history rewritten: return a view instead.
          outputs[o] = input.detach();
        }
      }
    }
    if (record) {
      Node node = new Node(this, ctx, inputs, outputs);
      for (int o = 0; o < outputs.length; o++) {
        if (differentiable[o]) {
          outputs[o].setGradFn(node, o);
        }
      }
    } else {
      ctx.release();
    }
    return outputs;
  }
}
