package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionContextTest {

  /** {@code (a * b, a + b)}: two outputs; records what backward saw. */
  static final class ProductAndSum extends Function {
    final boolean materialize;
    final List<Tensor[]> seenGrads = new ArrayList<>();
    final List<boolean[]> seenNeeds = new ArrayList<>();

    ProductAndSum(boolean materialize) {
      this.materialize = materialize;
    }

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.setMaterializeGrads(materialize);
      ctx.saveForBackward(in[0], in[1]);
      seenNeeds.add(new boolean[] {ctx.needsInputGrad(0), ctx.needsInputGrad(1)});
      return tensors(in[0].mul(in[1]), in[0].add(in[1]));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      seenGrads.add(grad.clone());
      Tensor[] s = ctx.savedTensors();
      Tensor gProduct = grad[0] == null ? Tensor.zeros(ctx.inputShape(0)) : grad[0];
      Tensor gSum = grad[1] == null ? Tensor.zeros(ctx.inputShape(0)) : grad[1];
      return tensors(
          ctx.needsInputGrad(0) ? gProduct.mul(s[1]).add(gSum) : null,
          ctx.needsInputGrad(1) ? gProduct.mul(s[0]).add(gSum) : null);
    }
  }

  /** Max of a vector and its index; the index output is marked non-differentiable. */
  static final class MaxWithIndex extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      double[] x = in[0].buffer();
      int best = 0;
      for (int i = 1; i < x.length; i++) {
        best = x[i] > x[best] ? i : best;
      }
      Tensor index = Tensor.scalar(best);
      ctx.markNonDifferentiable(index);
      ctx.put("index", best);
      return tensors(Tensor.scalar(x[best]), index);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      assertThat(grad[1].item()).as("non-differentiable output's gradient arrives as zeros").isZero();
      Tensor g = Tensor.zeros(ctx.inputShape(0));
      g.buffer()[ctx.get("index", Integer.class)] = grad[0].item();
      return tensors(g);
    }
  }

  /** Returns its input unchanged. */
  static final class Identity extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return tensors(in[0]);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors(grad[0]);
    }
  }

  /** Saves its inputs including a null and hands back what savedTensors returns. */
  static final class SaveAll extends Function {
    Tensor[] savedSeen;

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[1], null, in[0]);
      ctx.put("label", "saved");
      return tensors(in[0].add(in[1]));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      savedSeen = ctx.savedTensors();
      assertThat(ctx.get("label", String.class)).isEqualTo("saved");
      assertThat(ctx.inputCount()).isEqualTo(2);
      return tensors(grad[0], grad[0]);
    }
  }

  private static Tensor leaf(double... values) {
    return Tensor.of(values, values.length).requiresGrad(true);
  }

  @Test
  void savedTensorsComeBackInOrderAsTheSameObjects() {
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    SaveAll f = new SaveAll();
    f.apply(a, b).sum().backward();

    assertThat(f.savedSeen).hasSize(3);
    assertThat(f.savedSeen[0]).isSameAs(b);
    assertThat(f.savedSeen[1]).isNull();
    assertThat(f.savedSeen[2]).isSameAs(a);
  }

  @Test
  void contextValuesMustHaveBeenPut() {
    Tensor y = new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        return tensors(in[0].copy());
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... grad) {
        return tensors(grad[0].mul(ctx.get("scale", Double.class)));
      }
    }.apply(leaf(1));

    assertThatThrownBy(() -> y.sum().backward()).hasMessageContaining("no value 'scale'");
  }

  @Test
  @SuppressWarnings("try") // the idiomatic scope, whose variable is only closed
  void needsInputGradFollowsRequiresGradAndGradMode() {
    ProductAndSum f = new ProductAndSum(true);
    Tensor a = leaf(1, 2);
    Tensor b = Tensor.of(new double[] {3, 4}, 2);
    Tensor[] out = f.applyAll(a, b);
    out[0].sum().backward();

    assertThat(f.seenNeeds.get(0)).containsExactly(true, false);
    assertThat(a.grad().toArray()).containsExactly(3, 4);
    assertThat(b.grad()).isNull();

    try (GradMode.Scope ignored = GradMode.noGrad()) {
      Tensor[] none = f.applyAll(a, b);
      assertThat(none[0].requiresGrad()).isFalse();
    }
    assertThat(f.seenNeeds.get(1)).containsExactly(false, false);
  }

  @Test
  void severalOutputsContributeTheirGradients() {
    ProductAndSum f = new ProductAndSum(true);
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    Tensor[] out = f.applyAll(a, b);
    assertThat(out).hasSize(2);
    assertThat(out[0].gradFnName()).isEqualTo(out[1].gradFnName()).isEqualTo("ProductAndSumBackward");
    // d/da sum(a*b) + 2 sum(a+b) = b + 2, d/db = a + 2
    out[0].sum().add(out[1].sum().mul(2.0)).backward();

    assertThat(f.seenGrads).hasSize(1);
    assertThat(a.grad().toArray()).containsExactly(5, 6);
    assertThat(b.grad().toArray()).containsExactly(3, 4);
  }

  @Test
  void applyRefusesAFunctionWithSeveralOutputs() {
    assertThatThrownBy(() -> new ProductAndSum(true).apply(leaf(1), leaf(2))).hasMessageContaining("use applyAll");
  }

  @Test
  void missingOutputGradientsArriveAsZerosByDefault() {
    ProductAndSum f = new ProductAndSum(true);
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    f.applyAll(a, b)[0].sum().backward();

    Tensor[] grads = f.seenGrads.get(0);
    assertThat(grads[1]).isNotNull();
    assertThat(grads[1].shape()).containsExactly(2);
    assertThat(grads[1].toArray()).containsExactly(0, 0);
    assertThat(a.grad().toArray()).containsExactly(3, 4);
  }

  @Test
  void withMaterializeGradsOffMissingOutputGradientsArriveAsNull() {
    ProductAndSum f = new ProductAndSum(false);
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    f.applyAll(a, b)[1].sum().backward();

    Tensor[] grads = f.seenGrads.get(0);
    assertThat(grads[0]).isNull();
    assertThat(grads[1].toArray()).containsExactly(1, 1);
    assertThat(a.grad().toArray()).containsExactly(1, 1);
  }

  @Test
  void nonDifferentiableOutputsDoNotRequireGrad() {
    Tensor x = leaf(0.5, 3, -1);
    Tensor[] out = new MaxWithIndex().applyAll(x);

    assertThat(out[0].requiresGrad()).isTrue();
    assertThat(out[1].requiresGrad()).isFalse();
    assertThat(out[1].isLeaf()).isTrue();
    assertThat(out[1].item()).isEqualTo(1);
    assertThatThrownBy(() -> out[1].backward()).hasMessageContaining("does not require grad");
    out[0].backward();
    assertThat(x.grad().toArray()).containsExactly(0, 1, 0);
  }

  @Test
  void inputReturnedAsIsKeepsItsOwnHistory() {
    Tensor x = leaf(1, 2);
    Tensor y = new Identity().apply(x);

    assertThat(x.isLeaf()).isTrue();
    assertThat(y).isNotSameAs(x);
    assertThat(y.gradFnName()).isEqualTo("IdentityBackward");
    y.mul(3.0).sum().backward();
    assertThat(x.grad().toArray()).containsExactly(3, 3);
  }

  @Test
  void forwardRunsWithGradModeOff() {
    boolean[] seen = new boolean[1];
    new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        seen[0] = GradMode.isEnabled();
        return tensors(in[0].mul(2.0));
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... grad) {
        return tensors(grad[0]);
      }
    }.apply(leaf(1));

    assertThat(seen[0]).isFalse();
  }

  @Test
  void nullInputsAndOutputsAreReported() {
    assertThatThrownBy(() -> new Identity().apply(leaf(1), null)).hasMessageContaining("input 1 is null");
    Function returnsNull = new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        return tensors(in[0].copy(), null);
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... grad) {
        return tensors(grad[0]);
      }
    };
    assertThatThrownBy(() -> returnsNull.applyAll(leaf(1))).hasMessageContaining("returned null output 1");
  }

  @Test
  void inputShapesAreThoseAtForwardTime() {
    int[][] seen = new int[1][];
    Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
    new Function() {
      @Override
      protected Tensor[] forward(Context ctx, Tensor... in) {
        return tensors(in[0].sum());
      }

      @Override
      protected Tensor[] backward(Context ctx, Tensor... grad) {
        seen[0] = ctx.inputShape(0);
        return tensors(Tensor.full(grad[0].item(), ctx.inputShape(0)));
      }
    }.apply(x).backward();

    assertThat(Arrays.toString(seen[0])).isEqualTo("[2, 3]");
  }
}
