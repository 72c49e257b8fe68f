package dev.streamgrad.autograd;

import dev.streamgrad.autograd.ops.Reshape;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A dense tensor of doubles in row-major (C) order, the counterpart of a {@code torch.Tensor} of
 * dtype {@code float64}.
 *
 * <p>Differentiable operations ({@link #add}, {@link #mul}, {@link #sum}, ...) record a graph when
 * any input {@link #requiresGrad() requires grad} and {@link GradMode} is enabled; {@link
 * #backward()} then accumulates gradients into the leaves' {@link #grad()}. Operands of binary ops
 * broadcast by numpy's rules, and a broadcast operand's gradient is summed back to its shape.
 */
public class Tensor extends TensorOps {
  private final Storage storage;
  private final int[] shape;
  private boolean requiresGrad;
  private Tensor grad;
  // Set on outputs of a recorded Function: the graph node that made this tensor, and which output.
  private Node gradFn;
  private int outputIndex;

  Tensor(Storage storage, int[] shape) {
    if (storage.data.length != Shapes.numel(shape)) {
      throw new IllegalArgumentException(
          "data has " + storage.data.length + " values but shape " + Shapes.format(shape)
              + " needs " + Shapes.numel(shape));
    }
    this.storage = storage;
    this.shape = shape.clone();
  }

  /** For subclasses such as {@code Parameter}: a leaf that takes over {@code data}'s values. */
  protected Tensor(Tensor data, boolean requiresGrad) {
    this(new Storage(data.storage.data.clone()), data.shape);
    this.requiresGrad = requiresGrad;
  }

  /** A tensor holding a copy of {@code data} (row-major) with the given shape. */
  public static Tensor of(double[] data, int... shape) {
    return new Tensor(new Storage(data.clone()), shape);
  }

  /** A tensor that takes ownership of {@code data} without copying; the caller must not keep it. */
  public static Tensor wrap(double[] data, int... shape) {
    return new Tensor(new Storage(data), shape);
  }

  /** A 0-dimensional tensor, like {@code torch.tensor(value)}. */
  public static Tensor scalar(double value) {
    return wrap(new double[] {value});
  }

  /** A 2-D tensor from rows, which must all have the same length. */
  public static Tensor of2d(double[][] rows) {
    int cols = rows.length == 0 ? 0 : rows[0].length;
    double[] data = new double[rows.length * cols];
    for (int r = 0; r < rows.length; r++) {
      if (rows[r].length != cols) {
        throw new IllegalArgumentException(
            "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
      }
      System.arraycopy(rows[r], 0, data, r * cols, cols);
    }
    return wrap(data, rows.length, cols);
  }

  public static Tensor zeros(int... shape) {
    return wrap(new double[Shapes.numel(shape)], shape);
  }

  public static Tensor ones(int... shape) {
    return full(1.0, shape);
  }

  public static Tensor full(double value, int... shape) {
    double[] data = new double[Shapes.numel(shape)];
    Arrays.fill(data, value);
    return wrap(data, shape);
  }

  /** Standard normal values from a seeded generator: the same seed gives the same tensor. */
  public static Tensor randn(long seed, int... shape) {
    return randn(new Random(seed), shape);
  }

  /** Standard normal values drawn from {@code rng}, which advances. */
  public static Tensor randn(Random rng, int... shape) {
    double[] data = new double[Shapes.numel(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = rng.nextGaussian();
    }
    return wrap(data, shape);
  }

  @Override
  final Tensor self() {
    return this;
  }

  // ---- metadata and element access ----

  public int[] shape() {
    return shape.clone();
  }

  public int dim() {
    return shape.length;
  }

  /** Size of dimension {@code d}; negative {@code d} counts from the end, as in PyTorch. */
  public int size(int d) {
    return shape[d < 0 ? shape.length + d : d];
  }

  public int numel() {
    return storage.data.length;
  }

  /** A copy of the values in row-major order. */
  public double[] toArray() {
    return storage.data.clone();
  }

  /**
   * The live row-major values, shared with every view of this tensor. For kernels that read
   * without copying; a caller that writes must call {@link #markModified()} afterwards.
   */
  public double[] buffer() {
    return storage.data;
  }

  /** Records an in-place write through {@link #buffer()} (bumps the version counter). */
  public void markModified() {
    storage.bumpVersion();
  }

  /** The version counter: how many in-place writes this tensor's storage has seen. */
  public int version() {
    return storage.version();
  }

  public double get(int... index) {
    return storage.data[Shapes.offset(shape, index)];
  }

  /** The single value of a one-element tensor, like {@code Tensor.item()}. */
  public double item() {
    if (numel() != 1) {
      throw new IllegalStateException(
          "a Tensor with " + numel() + " elements cannot be converted to a scalar");
    }
    return storage.data[0];
  }

  /** Writes one element in place; forbidden on a leaf that requires grad while grad mode is on. */
  public void set(double value, int... index) {
    checkInPlace();
    storage.data[Shapes.offset(shape, index)] = value;
    storage.bumpVersion();
  }

  /** Copies {@code src}'s values into this tensor in place (shapes must match). */
  public Tensor copyFrom(Tensor src) {
    Shapes.requireSame("copyFrom", shape, src.shape);
    checkInPlace();
    System.arraycopy(src.storage.data, 0, storage.data, 0, numel());
    storage.bumpVersion();
    return this;
  }

  private void checkInPlace() {
    if (requiresGrad && gradFn == null && GradMode.isEnabled()) {
      throw new IllegalStateException(
          "a leaf Tensor that requires grad is being used in an in-place operation;"
              + " wrap the update in GradMode.noGrad()");
    }
  }

  // ---- autograd state ----

  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Sets {@code requires_grad} on a leaf and returns this tensor, like {@code requires_grad_()}. */
  public Tensor requiresGrad(boolean value) {
    if (gradFn != null && !value) {
      throw new IllegalStateException(
          "you can only change requiresGrad of leaf tensors; use detach() for a non-leaf");
    }
    this.requiresGrad = value;
    return this;
  }

  /** The accumulated gradient of a leaf, or null before any backward reached it. */
  public Tensor grad() {
    return grad;
  }

  /** Replaces (or with null clears) the accumulated gradient. */
  public void setGrad(Tensor grad) {
    if (grad != null) {
      Shapes.requireSame("assigned grad", shape, grad.shape);
    }
    this.grad = grad;
  }

  /** Whether this tensor was created by the user rather than by a recorded operation. */
  public boolean isLeaf() {
    return gradFn == null;
  }

  /** The name of the node that created this tensor, like {@code grad_fn}, or null for a leaf. */
  public String gradFnName() {
    return gradFn == null ? null : gradFn.name();
  }

  Node gradFn() {
    return gradFn;
  }

  int outputIndex() {
    return outputIndex;
  }

  void setGradFn(Node node, int index) {
    this.gradFn = node;
    this.outputIndex = index;
    this.requiresGrad = true;
  }

  /** A tensor sharing this one's values but cut from the graph, like {@code detach()}. */
  public Tensor detach() {
    return new Tensor(storage, shape);
  }

  /** A deep copy with no graph history and no gradient. */
  public Tensor copy() {
    return of(storage.data, shape);
  }

  /** Backpropagates from a one-element tensor, as {@code loss.backward()}. */
  public void backward() {
    if (numel() != 1) {
      throw new IllegalStateException("grad can be implicitly created only for scalar outputs, got shape "
          + Shapes.format(shape));
    }
    backward(ones(shape), false);
  }

  /** Backpropagates {@code gradOutput} (same shape as this tensor), freeing the graph. */
  public void backward(Tensor gradOutput) {
    backward(gradOutput, false);
  }

  /** Backpropagates {@code gradOutput}; with {@code retainGraph} a second backward is allowed. */
  public void backward(Tensor gradOutput, boolean retainGraph) {
    Engine.backward(new Tensor[] {this}, new Tensor[] {gradOutput}, retainGraph);
  }

  // ---- views, comparison and printing ----

  /** A view sharing storage and version counter; used by {@link Reshape}. */
  public Tensor view(int... newShape) {
    return new Tensor(storage, Reshape.inferShape(shape, newShape));
  }

  /** Whether shapes are equal and every value is within {@code atol + rtol * |other|}. */
  public boolean allClose(Tensor other, double rtol, double atol) {
    if (!Shapes.same(shape, other.shape)) {
      return false;
    }
    for (int i = 0; i < numel(); i++) {
      double a = storage.data[i];
      double b = other.storage.data[i];
      if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)) && !(a == b)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prints like PyTorch's {@code repr} with float64 as the default dtype, e.g. {@code tensor([[1.0000,
   * 2.5000]], grad_fn=<AddBackward0>)}; see {@link TensorFormat}.
   */
  @Override
  public String toString() {
    String suffix = gradFn != null ? "grad_fn=<" + gradFn.name() + ">" : requiresGrad ? "requires_grad=True" : null;
    return TensorFormat.format(storage.data, shape, suffix == null ? List.of() : List.of(suffix));
  }
}
