/**
 * The built-in differentiable operations, one small {@link dev.streamgrad.autograd.Function} each,
 * with forward and backward side by side (arithmetic with numpy-rule broadcasting, elementwise
 * functions, masks and {@code where}, narrowing and constant padding, sums and means over
 * dimensions), and the package-private kernels they share (broadcasting, reductions in PyTorch's
 * order, constant padding); {@link dev.streamgrad.autograd.Tensor}'s methods call them.
 */
package dev.streamgrad.autograd.ops;
