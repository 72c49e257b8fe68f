package dev.streamgrad.nn;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Sums;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.autograd.Workspace;

/**
 * Mean squared error, {@code mean((input - target)^2)}, as {@code torch.nn.functional.mse_loss}
 * with {@code reduction='mean'}; the gradient is {@code 2 (input - target) / n * g} for the input
 * and its negative for the target. Shapes must be equal (no broadcasting, unlike PyTorch's
 * warning-and-broadcast).
 */
public final class MseLoss extends Function {
  /** The loss of {@code input} against {@code target}, a 0-D tensor. */
  public static Tensor mseLoss(Tensor input, Tensor target) {
    return new MseLoss().apply(input, target);
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    if (!Shapes.same(in[0].shape(), in[1].shape())) {
      throw new IllegalArgumentException("mse_loss: input shape " + Shapes.format(in[0].shape())
          + " does not match target shape " + Shapes.format(in[1].shape()));
    }
    double[] a = in[0].buffer();
    double[] b = in[1].buffer();
    // PyTorch: mean of (input - target)^2, the mean being sum(...).div_(n), summed in its order
    ctx.saveForBackward(in[0], in[1]);
    return tensors(Tensor.scalar(Sums.sumOfSquaredDifferences(a, b) / a.length));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    Tensor[] saved = ctx.savedTensors();
    double[] a = saved[0].buffer();
    double[] b = saved[1].buffer();
    // In PyTorch's order (mse_backward_cpu_kernel: alpha * (input - target) * grad_output), so
    // training trajectories match torch's to the last bits.
    double norm = 2.0 / a.length;
    double g = grad[0].item();
    double[] ga = Workspace.array(a.length); // every element written below
    for (int k = 0; k < a.length; k++) {
      ga[k] = norm * (a[k] - b[k]) * g;
    }
    Tensor gradTarget = null;
    if (ctx.needsInputGrad(1)) {
      double[] gb = new double[a.length];
      for (int k = 0; k < a.length; k++) {
        gb[k] = -ga[k];
      }
      gradTarget = Tensor.wrap(gb, saved[1].shape());
    }
    return tensors(ctx.needsInputGrad(0) ? Tensor.wrap(ga, saved[0].shape()) : null, gradTarget);
  }

  /** PyTorch's node name, as printed in {@code grad_fn=<MseLossBackward0>}. */
  @Override
  public String name() {
    return "MseLossBackward0";
  }
}
