/**
 * The built-in differentiable operations, one small {@link dev.streamgrad.autograd.Function} each,
 * with forward and backward side by side; {@link dev.streamgrad.autograd.Tensor}'s methods call them.
 */
package dev.streamgrad.autograd.ops;
