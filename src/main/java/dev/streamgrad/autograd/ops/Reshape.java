package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Context;
import dev.streamgrad.autograd.Function;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/** A view with a new shape; the gradient is reshaped back to the input's shape. */
public final class Reshape extends Function {
  private final int[] requested;

  public Reshape(int... shape) {
    this.requested = shape.clone();
  }

  /** Resolves one {@code -1} dimension and checks that the element count is preserved. */
  public static int[] inferShape(int[] from, int[] to) {
    int[] shape = to.clone();
    int numel = Shapes.numel(from);
    int infer = -1;
    long known = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("only one dimension can be inferred in " + Shapes.format(to));
        }
        infer = d;
      } else {
        known *= shape[d];
      }
    }
    if (infer >= 0 && known != 0 && numel % known == 0) {
      shape[infer] = (int) (numel / known);
    }
    if (infer >= 0 && shape[infer] == -1 || Shapes.numel(shape) != numel) {
      throw new IllegalArgumentException("shape " + Shapes.format(to) + " is invalid for input of shape "
          + Shapes.format(from) + " (" + numel + " elements)");
    }
    return shape;
  }

  @Override
  protected Tensor[] forward(Context ctx, Tensor... in) {
    return tensors(in[0].view(requested));
  }

  @Override
  protected Tensor[] backward(Context ctx, Tensor... grad) {
    return tensors(grad[0].view(ctx.inputShape(0)));
  }

  /** PyTorch's node name for this op, as printed in {@code grad_fn=<ReshapeAliasBackward0>}. */
  @Override
  public String name() {
    return "ReshapeAliasBackward0";
  }
}
