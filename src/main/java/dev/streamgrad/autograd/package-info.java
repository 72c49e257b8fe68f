/**
 * A small reverse-mode automatic differentiation engine modelled on {@code torch.autograd}: dense
 * double-precision {@link dev.streamgrad.autograd.Tensor}s, user-extensible
 * {@link dev.streamgrad.autograd.Function}s with a {@link dev.streamgrad.autograd.Context}, and
 * {@link dev.streamgrad.autograd.Gradcheck}.
 */
package dev.streamgrad.autograd;
