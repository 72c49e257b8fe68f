package dev.streamgrad.autograd;

import dev.streamgrad.autograd.ops.Abs;
import dev.streamgrad.autograd.ops.Add;
import dev.streamgrad.autograd.ops.Clamp;
import dev.streamgrad.autograd.ops.Compare;
import dev.streamgrad.autograd.ops.Compare.Relation;
import dev.streamgrad.autograd.ops.Div;
import dev.streamgrad.autograd.ops.Exp;
import dev.streamgrad.autograd.ops.Log;
import dev.streamgrad.autograd.ops.Mean;
import dev.streamgrad.autograd.ops.MeanDim;
import dev.streamgrad.autograd.ops.Mul;
import dev.streamgrad.autograd.ops.Narrow;
import dev.streamgrad.autograd.ops.Neg;
import dev.streamgrad.autograd.ops.Pad;
import dev.streamgrad.autograd.ops.Pow;
import dev.streamgrad.autograd.ops.Relu;
import dev.streamgrad.autograd.ops.Reshape;
import dev.streamgrad.autograd.ops.Sigmoid;
import dev.streamgrad.autograd.ops.Sqrt;
import dev.streamgrad.autograd.ops.Sub;
import dev.streamgrad.autograd.ops.Sum;
import dev.streamgrad.autograd.ops.SumDim;
import dev.streamgrad.autograd.ops.Tanh;
import dev.streamgrad.autograd.ops.Where;

/**
 * The differentiable operations of {@link Tensor} as methods, each applying one {@link Function}
 * from {@code dev.streamgrad.autograd.ops}; kept apart from Tensor's storage and autograd state.
 * Binary operands broadcast by numpy's rules ({@code [3, 1]} with {@code [1, 4]} gives {@code [3,
 * 4]}); the scalar overloads wrap the value in a 0-D tensor, which broadcasts against any shape.
 */
abstract class TensorOps {
  /** This object as the tensor it is (Tensor is the only subclass). */
  abstract Tensor self();

  public Tensor add(Tensor other) {
    return new Add().apply(self(), other);
  }

  public Tensor add(double value) {
    return new Add().apply(self(), Tensor.scalar(value));
  }

  public Tensor sub(Tensor other) {
    return new Sub().apply(self(), other);
  }

  public Tensor sub(double value) {
    return new Sub().apply(self(), Tensor.scalar(value));
  }

  public Tensor mul(Tensor other) {
    return new Mul().apply(self(), other);
  }

  public Tensor mul(double value) {
    return new Mul().apply(self(), Tensor.scalar(value));
  }

  public Tensor div(Tensor other) {
    return new Div().apply(self(), other);
  }

  public Tensor div(double value) {
    return new Div().apply(self(), Tensor.scalar(value));
  }

  public Tensor neg() {
    return new Neg().apply(self());
  }

  public Tensor pow(double exponent) {
    return new Pow(exponent).apply(self());
  }

  public Tensor abs() {
    return new Abs().apply(self());
  }

  /** Sum of all elements, a 0-dimensional tensor. */
  public Tensor sum() {
    return new Sum().apply(self());
  }

  /** Mean of all elements, a 0-dimensional tensor. */
  public Tensor mean() {
    return new Mean().apply(self());
  }

  /** A view with a new shape and the same number of elements; one dimension may be -1. */
  public Tensor reshape(int... newShape) {
    return new Reshape(newShape).apply(self());
  }

  // ---- elementwise ----

  public Tensor exp() {
    return new Exp().apply(self());
  }

  /** Natural logarithm: NaN below 0 and {@code -inf} at 0, as in PyTorch. */
  public Tensor log() {
    return new Log().apply(self());
  }

  public Tensor sqrt() {
    return new Sqrt().apply(self());
  }

  public Tensor tanh() {
    return new Tanh().apply(self());
  }

  public Tensor sigmoid() {
    return new Sigmoid().apply(self());
  }

  /** {@code max(x, 0)}, with gradient 0 at 0 as PyTorch's. */
  public Tensor relu() {
    return new Relu().apply(self());
  }

  /** {@code torch.clamp(x, min, max)}; the gradient passes where {@code min <= x <= max}, bounds included. */
  public Tensor clamp(double min, double max) {
    return new Clamp(min, max).apply(self());
  }

  /** {@code torch.clamp(x, min=min)}. */
  public Tensor clampMin(double min) {
    return new Clamp(min, Double.POSITIVE_INFINITY).apply(self());
  }

  /** {@code torch.clamp(x, max=max)}. */
  public Tensor clampMax(double max) {
    return new Clamp(Double.NEGATIVE_INFINITY, max).apply(self());
  }

  // ---- masks ----

  /** {@code x.where(cond, other)}: this tensor where {@code cond} is non-zero, else {@code other}; all broadcast. */
  public Tensor where(Tensor cond, Tensor other) {
    return new Where().apply(cond, self(), other);
  }

  /** {@code x.where(cond, value)}. */
  public Tensor where(Tensor cond, double other) {
    return where(cond, Tensor.scalar(other));
  }

  /** {@code x.masked_fill(mask, value)}: {@code value} where {@code mask} is non-zero, this tensor elsewhere. */
  public Tensor maskedFill(Tensor mask, double value) {
    return Where.maskedFill().apply(mask, Tensor.scalar(value), self());
  }

  /** A mask (1.0 or 0.0, never requiring grad) of {@code this > other}, broadcast. */
  public Tensor gt(Tensor other) {
    return new Compare(Relation.GT).apply(self(), other);
  }

  public Tensor gt(double other) {
    return gt(Tensor.scalar(other));
  }

  /** A mask of {@code this >= other}. */
  public Tensor ge(Tensor other) {
    return new Compare(Relation.GE).apply(self(), other);
  }

  public Tensor ge(double other) {
    return ge(Tensor.scalar(other));
  }

  /** A mask of {@code this < other}. */
  public Tensor lt(Tensor other) {
    return new Compare(Relation.LT).apply(self(), other);
  }

  public Tensor lt(double other) {
    return lt(Tensor.scalar(other));
  }

  /** A mask of {@code this <= other}. */
  public Tensor le(Tensor other) {
    return new Compare(Relation.LE).apply(self(), other);
  }

  public Tensor le(double other) {
    return le(Tensor.scalar(other));
  }

  /** A mask of {@code this == other}. */
  public Tensor eq(Tensor other) {
    return new Compare(Relation.EQ).apply(self(), other);
  }

  /** A mask of {@code this != other} (true at NaN). */
  public Tensor ne(Tensor other) {
    return new Compare(Relation.NE).apply(self(), other);
  }

  // ---- slicing and padding ----

  /** Elements {@code start .. start + length - 1} of dimension {@code dim}, as {@code x.narrow}. */
  public Tensor narrow(int dim, int start, int length) {
    return new Narrow(dim, start, length).apply(self());
  }

  /**
   * Python's slice {@code x[..., start:end]} on dimension {@code dim}: negative bounds count from
   * the end, bounds beyond the size are clipped, an empty range gives size 0.
   */
  public Tensor slice(int dim, int start, int end) {
    int size = self().size(dim);
    int from = Math.min(Math.max(start < 0 ? start + size : start, 0), size);
    int to = Math.min(Math.max(end < 0 ? end + size : end, 0), size);
    return narrow(dim, from, Math.max(0, to - from));
  }

  /**
   * Index {@code index} of dimension {@code dim}, which is removed, as {@code x.select(dim, index)}
   * or Python's {@code x[..., index]}; a negative index counts from the end. The gradient scatters
   * back into that index (narrow, then reshape).
   */
  public Tensor select(int dim, int index) {
    int[] shape = self().shape();
    if (dim < 0 || dim >= shape.length) {
      throw new IllegalArgumentException("select: dimension " + dim + " out of range for shape "
          + Shapes.format(shape));
    }
    int i = index < 0 ? index + shape[dim] : index;
    if (i < 0 || i >= shape[dim]) {
      throw new IllegalArgumentException("select: index " + index + " out of range for dimension " + dim
          + " of size " + shape[dim] + " (shape " + Shapes.format(shape) + ")");
    }
    int[] out = new int[shape.length - 1];
    for (int d = 0, o = 0; d < shape.length; d++) {
      if (d != dim) {
        out[o++] = shape[d];
      }
    }
    return narrow(dim, i, 1).reshape(out);
  }

  /** {@code F.pad(x, pad)} with zeros: (before, after) pairs from the last dimension back; negative crops. */
  public Tensor pad(int... pad) {
    return new Pad(0.0, pad).apply(self());
  }

  /** {@code F.pad(x, pad, value=value)}. */
  public Tensor pad(int[] pad, double value) {
    return new Pad(value, pad).apply(self());
  }

  // ---- reductions over dimensions ----

  /** Sum over dimension {@code dim}, kept as size 1 with {@code keepdim}, as {@code x.sum(dim, keepdim)}. */
  public Tensor sum(int dim, boolean keepdim) {
    return new SumDim(keepdim, dim).apply(self());
  }

  /** Sum over several dimensions (an empty list means all, as in PyTorch). */
  public Tensor sum(int[] dims, boolean keepdim) {
    return new SumDim(keepdim, dims).apply(self());
  }

  /** Mean over dimension {@code dim}, as {@code x.mean(dim, keepdim)}. */
  public Tensor mean(int dim, boolean keepdim) {
    return new MeanDim(keepdim, dim).apply(self());
  }

  /** Mean over several dimensions (an empty list means all). */
  public Tensor mean(int[] dims, boolean keepdim) {
    return new MeanDim(keepdim, dims).apply(self());
  }
}
