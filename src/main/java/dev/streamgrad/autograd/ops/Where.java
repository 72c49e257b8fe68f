package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/**
 * {@code torch.where(cond, a, b)}, applied to {@code (cond, a, b)}: {@code a} where {@code cond} is
 * true (non-zero, NaN included, as {@code cond.bool()}), {@code b} elsewhere; all three broadcast.
 * The gradient goes to {@code a} where {@code cond} holds and to {@code b} elsewhere, each summed
 * back to its shape; {@code cond} gets none.
 */
public final class Where extends Function {
  private final String name;

  public Where() {
    this("WhereBackward0");
  }

  private Where(String name) {
    this.name = name;
  }

  /**
   * {@code x.masked_fill(mask, value)} as {@code where(mask, value, x)}, applied to {@code (mask,
   * value, x)}; only its node name, PyTorch's {@code MaskedFillBackward0}, differs from where's.
   */
  public static Where maskedFill() {
    return new Where("MaskedFillBackward0");
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = Broadcast.resultShape("where", in[0], in[1], in[2]);
    double[] c = Broadcast.expand(in[0], shape);
    double[] a = Broadcast.expand(in[1], shape);
    double[] b = Broadcast.expand(in[2], shape);
    double[] out = new double[Shapes.numel(shape)];
    for (int k = 0; k < out.length; k++) {
      out[k] = c[k] != 0.0 ? a[k] : b[k];
    }
    ctx.saveForBackward(in[0]);
    return tensors(Tensor.wrap(out, shape));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    double[] g = grad[0].buffer();
    int[] gs = grad[0].shape();
    double[] c = Broadcast.expand(ctx.savedTensors()[0], gs);
    return tensors(null,
        ctx.needsInputGrad(1) ? Broadcast.reduce(select(g, c, true), gs, ctx.inputShape(1)) : null,
        ctx.needsInputGrad(2) ? Broadcast.reduce(select(g, c, false), gs, ctx.inputShape(2)) : null);
  }

  /** {@code g} where the condition is {@code when}, 0 elsewhere. */
  private static double[] select(double[] g, double[] c, boolean when) {
    double[] out = new double[g.length];
    for (int k = 0; k < g.length; k++) {
      out[k] = (c[k] != 0.0) == when ? g[k] : 0.0;
    }
    return out;
  }

  /** PyTorch's node name, as printed in {@code grad_fn=<WhereBackward0>} (or {@code MaskedFillBackward0}). */
  @Override
  public String name() {
    return name;
  }
}
