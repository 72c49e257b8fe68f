package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What the layer-author ops do at their edges, as PyTorch does: bounds, zeros, NaN, masks that never
 * require grad, and the errors (with both shapes or the offending argument) at bad input.
 */
class TensorOpsTest {

  @Test
  void shapesThatDoNotBroadcastNameBothShapes() {
    Tensor a = Tensor.zeros(3, 2);
    Tensor b = Tensor.zeros(4);

    assertThatThrownBy(() -> a.add(b)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add: shapes [3, 2] and [4] cannot be broadcast");
    assertThatThrownBy(() -> a.where(Tensor.zeros(5), b)).hasMessageContaining("[5], [3, 2] and [4]");
  }

  @Test
  void broadcastOperandGradientsAreSummedBackToTheirShape() {
    Tensor col = Tensor.of(new double[] {1, 2, 3}, 3, 1).requiresGrad(true);
    Tensor row = Tensor.of(new double[] {10, 20, 30, 40}, 1, 4).requiresGrad(true);

    Tensor out = col.mul(row);
    out.sum().backward();

    assertThat(out.shape()).containsExactly(3, 4);
    assertThat(col.grad().toArray()).containsExactly(100, 100, 100);
    assertThat(row.grad().toArray()).containsExactly(6, 6, 6, 6);
  }

  @Test
  void clampPassesTheGradientAtItsBoundsAsPytorch() {
    Tensor x = Tensor.of(new double[] {-2, -1, 0, 1, 2, Double.NaN}, 6).requiresGrad(true);

    Tensor y = x.clamp(-1, 1);
    y.backward(Tensor.ones(6));

    assertThat(y.toArray()).containsExactly(-1, -1, 0, 1, 1, Double.NaN);
    assertThat(x.grad().toArray()).containsExactly(0, 1, 1, 1, 0, 0);
    assertThat(Tensor.of(new double[] {-5, 0, 5}, 3).clamp(2, -2).toArray()).containsExactly(-2, -2, -2);
  }

  @Test
  void reluHasGradientZeroAtZeroAndKeepsNan() {
    Tensor x = Tensor.of(new double[] {-1, 0, 2, Double.NaN}, 4).requiresGrad(true);

    Tensor y = x.relu();
    y.backward(Tensor.ones(4));

    assertThat(y.toArray()).containsExactly(0, 0, 2, Double.NaN);
    assertThat(x.grad().toArray()).containsExactly(0, 0, 1, 1);
  }

  @Test
  void logAndSqrtAtAndBelowZero() {
    Tensor x = Tensor.of(new double[] {0, -1}, 2).requiresGrad(true);

    assertThat(x.log().toArray()).containsExactly(Double.NEGATIVE_INFINITY, Double.NaN);
    Tensor s = x.sqrt();
    s.backward(Tensor.ones(2));
    assertThat(x.grad().get(0)).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void masksNeverRequireGradAndConditionsGetNoGradient() {
    Tensor x = Tensor.of(new double[] {-1, 0.5, 3}, 3).requiresGrad(true);
    Tensor y = Tensor.scalar(7).requiresGrad(true);

    Tensor mask = x.gt(0);
    Tensor out = x.where(mask, y);
    out.backward(Tensor.of(new double[] {1, 2, 4}, 3));

    assertThat(mask.requiresGrad()).isFalse();
    assertThat(mask.toArray()).containsExactly(0, 1, 1);
    assertThat(out.toArray()).containsExactly(7, 0.5, 3);
    assertThat(x.grad().toArray()).containsExactly(0, 2, 4);
    assertThat(y.grad().item()).isEqualTo(1.0);
    assertThat(Tensor.scalar(Double.NaN).ne(Tensor.scalar(Double.NaN)).item()).isEqualTo(1.0);
    assertThat(Tensor.scalar(2).where(Tensor.scalar(Double.NaN), 5).item()).as("NaN is true").isEqualTo(2.0);
  }

  @Test
  void narrowAndSliceCheckTheirRange() {
    Tensor x = Tensor.randn(1, 4, 5);

    assertThat(x.narrow(1, -2, 2).toArray()).isEqualTo(x.slice(1, 3, 5).toArray());
    assertThat(x.narrow(0, 1, 0).shape()).containsExactly(0, 5);
    assertThat(x.slice(-1, -100, 100).shape()).containsExactly(4, 5);
    assertThat(x.slice(0, 3, 1).shape()).containsExactly(0, 5);
    assertThatThrownBy(() -> x.narrow(1, 3, 3)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("start 3 and length 3 do not fit dimension 1 of size 5 (shape [4, 5])");
    assertThatThrownBy(() -> x.narrow(2, 0, 1)).hasMessageContaining("dimension 2 is out of range");
    assertThatThrownBy(() -> Tensor.scalar(1).narrow(0, 0, 1)).hasMessageContaining("0-dim");
  }

  @Test
  void padChecksItsAmounts() {
    Tensor x = Tensor.ones(2, 3);

    assertThat(x.pad(new int[] {1, 0, 0, 1}, 7).toArray()).containsExactly(7, 1, 1, 1, 7, 1, 1, 1, 7, 7, 7, 7);
    assertThat(x.pad(-1, -1).shape()).containsExactly(2, 1);
    assertThatThrownBy(() -> x.pad(1, 2, 3)).hasMessageContaining("must be even");
    assertThatThrownBy(() -> x.pad(0, 0, 0, 0, 1, 1)).hasMessageContaining("at most twice the number of dimensions");
    assertThatThrownBy(() -> x.pad(-2, -1)).hasMessageContaining("non-positive output size in dimension 1");
  }

  @Test
  void reductionsOverDimensionsCheckTheirDims() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    assertThat(x.sum(0, false).toArray()).containsExactly(5, 7, 9);
    assertThat(x.mean(-1, true).shape()).containsExactly(2, 1);
    assertThat(x.mean(-1, true).toArray()).containsExactly(2, 5);
    assertThat(x.sum(new int[0], false).shape()).as("no dims: all, as in PyTorch").isEmpty();
    assertThat(Tensor.scalar(3).sum(0, true).item()).isEqualTo(3.0);
    assertThatThrownBy(() -> x.sum(new int[] {1, -1}, false)).hasMessageContaining("dim 1 appears multiple times");
    assertThatThrownBy(() -> x.mean(2, false)).hasMessageContaining("dimension 2 is out of range for shape [2, 3]");
  }
}
