/**
 * A small reverse-mode automatic differentiation engine modelled on {@code torch.autograd}: dense
 * double-precision {@link dev.streamgrad.autograd.Tensor}s, user-extensible
 * {@link dev.streamgrad.autograd.Function}s with a {@link dev.streamgrad.autograd.Context}, and
 * {@link dev.streamgrad.autograd.Gradcheck}.
 *
 * <p>A custom function, as one would write a {@code torch.autograd.Function}:
 *
 * <pre>{@code
 * final class Cube extends Function {
 *   protected Tensor[] forward(Context ctx, Tensor... in) {
 *     ctx.saveForBackward(in[0]);
 *     return tensors(in[0].pow(3));
 *   }
 *
 *   protected Tensor[] backward(Context ctx, Tensor... grad) {
 *     Tensor x = ctx.savedTensors()[0];
 *     return tensors(grad[0].mul(x.pow(2)).mul(3.0));
 *   }
 * }
 *
 * Tensor x = Tensor.randn(0, 3, 4).requiresGrad(true);
 * new Cube().apply(x).sum().backward();          // x.grad() is 3 x^2
 * Gradcheck.gradcheck(new Cube(), x);            // throws GradcheckException on a wrong backward
 * }</pre>
 *
 * <p>Numbers follow PyTorch's CPU kernels in their order of operations (sums in ATen's cascade
 * order, fused multiply-adds where ATen fuses), so losses, gradients and optimizer steps agree with
 * PyTorch's bit for bit on the tested cases.
 */
package dev.streamgrad.autograd;
