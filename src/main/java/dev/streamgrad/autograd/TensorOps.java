package dev.streamgrad.autograd;

import dev.streamgrad.autograd.ops.Abs;
import dev.streamgrad.autograd.ops.Add;
import dev.streamgrad.autograd.ops.Div;
import dev.streamgrad.autograd.ops.Mean;
import dev.streamgrad.autograd.ops.Mul;
import dev.streamgrad.autograd.ops.Neg;
import dev.streamgrad.autograd.ops.Pow;
import dev.streamgrad.autograd.ops.Reshape;
import dev.streamgrad.autograd.ops.Sub;
import dev.streamgrad.autograd.ops.Sum;

/**
 * The differentiable operations of {@link Tensor} as methods, each applying one {@link Function}
 * from {@code dev.streamgrad.autograd.ops}; kept apart from Tensor's storage and autograd state.
 * The scalar overloads wrap the value in a 0-D tensor, which broadcasts against any shape.
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
}
