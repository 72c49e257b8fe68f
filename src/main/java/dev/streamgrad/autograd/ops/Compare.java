package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import java.util.Locale;

/**
 * An elementwise comparison of two broadcast operands giving a mask of 1.0 (true) and 0.0 (false),
 * as PyTorch's {@code gt}, {@code lt}, ... give bool tensors: the mask is not differentiable and
 * never requires grad. For {@link Where} and {@code maskedFill}.
 */
public final class Compare extends Function {
  /** The relation tested, {@code a REL b}; NaN compares false except with {@code NE}, as in IEEE 754. */
  public enum Relation { GT, GE, LT, LE, EQ, NE }

  private final Relation relation;

  public Compare(Relation relation) {
    this.relation = relation;
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    int[] shape = Broadcast.resultShape(relation.name().toLowerCase(Locale.ROOT), in[0], in[1]);
    double[] a = Broadcast.expand(in[0], shape);
    double[] b = Broadcast.expand(in[1], shape);
    double[] out = new double[Shapes.numel(shape)];
    for (int k = 0; k < out.length; k++) {
      out[k] = holds(a[k], b[k]) ? 1.0 : 0.0;
    }
    Tensor mask = Tensor.wrap(out, shape);
    ctx.markNonDifferentiable(mask);
    return tensors(mask);
  }

  private boolean holds(double a, double b) {
    switch (relation) {
      case GT:
        return a > b;
      case GE:
        return a >= b;
      case LT:
        return a < b;
      case LE:
        return a <= b;
      case EQ:
        return a == b;
      default:
        return a != b;
    }
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    return tensors(null, null);
  }
}
