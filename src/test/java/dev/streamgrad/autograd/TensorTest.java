package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void ofCopiesDataAndKeepsRowMajorOrder() {
    double[] data = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.of(data, 2, 3);
    data[0] = 100;

    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t.dim()).isEqualTo(2);
    assertThat(t.numel()).isEqualTo(6);
    assertThat(t.get(0, 0)).isEqualTo(1);
    assertThat(t.get(0, 2)).isEqualTo(3);
    assertThat(t.get(1, 0)).isEqualTo(4);
    assertThat(t.size(-1)).isEqualTo(3);
    assertThat(t.size(0)).isEqualTo(2);
  }

  @Test
  void ofRejectsDataThatDoesNotFillTheShape() {
    assertThatThrownBy(() -> Tensor.of(new double[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 values").hasMessageContaining("[2, 3]").hasMessageContaining("6");
  }

  @Test
  void zerosOnesFullAndScalar() {
    assertThat(Tensor.zeros(2, 2).toArray()).containsExactly(0, 0, 0, 0);
    assertThat(Tensor.ones(3).toArray()).containsExactly(1, 1, 1);
    assertThat(Tensor.full(2.5, 1, 2).toArray()).containsExactly(2.5, 2.5);
    Tensor s = Tensor.scalar(4);
    assertThat(s.dim()).isZero();
    assertThat(s.item()).isEqualTo(4);
    assertThat(Tensor.zeros(0, 3).numel()).isZero();
  }

  @Test
  void of2dRejectsRaggedRows() {
    assertThat(Tensor.of2d(new double[][] {{1, 2}, {3, 4}}).get(1, 0)).isEqualTo(3);
    assertThatThrownBy(() -> Tensor.of2d(new double[][] {{1, 2}, {3}}))
        .hasMessageContaining("row 1 has 1 values");
  }

  @Test
  void randnIsReproducibleFromItsSeedAndStandardNormal() {
    Tensor a = Tensor.randn(42, 100, 100);
    Tensor b = Tensor.randn(42, 100, 100);
    Tensor c = Tensor.randn(43, 100, 100);

    assertThat(a.toArray()).containsExactly(b.toArray());
    assertThat(a.toArray()).isNotEqualTo(c.toArray());
    double mean = a.mean().item();
    double var = a.sub(mean).pow(2).mean().item();
    assertThat(mean).isBetween(-0.05, 0.05);
    assertThat(var).isBetween(0.95, 1.05);
  }

  @Test
  void elementAccessChecksIndices() {
    Tensor t = Tensor.zeros(2, 3);
    t.set(7, 1, 2);

    assertThat(t.get(1, 2)).isEqualTo(7);
    assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("[2, 0]").hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> t.get(0)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("1 dimensions");
    assertThatThrownBy(() -> t.item()).hasMessageContaining("6 elements");
  }

  @Test
  void reshapeIsAViewWithInferredDimension() {
    Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor r = t.reshape(3, -1);

    assertThat(r.shape()).containsExactly(3, 2);
    assertThat(r.get(2, 1)).isEqualTo(6);
    t.set(60, 1, 2);
    assertThat(r.get(2, 1)).as("shares storage").isEqualTo(60);
    assertThat(r.version()).isEqualTo(t.version());
    assertThat(t.reshape(6).shape()).containsExactly(6);
    assertThat(Tensor.scalar(1).reshape(1, 1).shape()).containsExactly(1, 1);
  }

  @Test
  void reshapeRejectsWrongElementCounts() {
    Tensor t = Tensor.zeros(2, 3);
    assertThatThrownBy(() -> t.reshape(4, 2)).hasMessageContaining("[4, 2]")
        .hasMessageContaining("[2, 3]");
    assertThatThrownBy(() -> t.reshape(-1, -1)).hasMessageContaining("only one dimension");
    assertThatThrownBy(() -> t.reshape(4, -1)).hasMessageContaining("invalid");
  }

  @Test
  void reshapeIsDifferentiable() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
    Tensor y = x.reshape(4);

    assertThat(y.gradFnName()).isEqualTo("ReshapeAliasBackward0");
    y.mul(Tensor.of(new double[] {1, 2, 3, 4}, 4)).sum().backward();
    assertThat(x.grad().shape()).containsExactly(2, 2);
    assertThat(x.grad().toArray()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void detachSharesValuesButNotHistory() {
    Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
    Tensor y = x.mul(3.0);
    Tensor d = y.detach();

    assertThat(d.requiresGrad()).isFalse();
    assertThat(d.isLeaf()).isTrue();
    assertThat(d.gradFnName()).isNull();
    assertThat(d.toArray()).containsExactly(3, 6);
    d.set(10, 0);
    assertThat(y.get(0)).as("same storage, as torch's detach").isEqualTo(10);
    assertThat(y.version()).isEqualTo(d.version());
  }

  @Test
  void copyIsIndependent() {
    Tensor x = Tensor.of(new double[] {1, 2}, 2);
    Tensor c = x.copy();
    c.set(5, 0);

    assertThat(x.get(0)).isEqualTo(1);
  }

  @Test
  void requiresGradAndLeafState() {
    Tensor x = Tensor.zeros(2);
    assertThat(x.requiresGrad()).isFalse();
    assertThat(x.isLeaf()).isTrue();
    assertThat(x.requiresGrad(true)).isSameAs(x);
    Tensor y = x.add(1.0);

    assertThat(y.requiresGrad()).isTrue();
    assertThat(y.isLeaf()).isFalse();
    assertThatThrownBy(() -> y.requiresGrad(false)).hasMessageContaining("leaf");
    assertThat(x.add(Tensor.zeros(2)).requiresGrad()).isTrue();
    assertThat(Tensor.zeros(2).add(1.0).requiresGrad()).isFalse();
  }

  @Test
  @SuppressWarnings("try") // the idiomatic scope, whose variable is only closed
  void inPlaceWriteToALeafThatRequiresGradIsRefusedOutsideNoGrad() {
    Tensor x = Tensor.zeros(2).requiresGrad(true);

    assertThatThrownBy(() -> x.set(1, 0)).hasMessageContaining("leaf").hasMessageContaining("noGrad");
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      x.set(1, 0);
      x.copyFrom(Tensor.ones(2));
    }
    assertThat(x.toArray()).containsExactly(1, 1);
    assertThat(x.version()).isEqualTo(2);
  }

  @Test
  void copyFromChecksShapes() {
    assertThatThrownBy(() -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(3, 2)))
        .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
  }

  @Test
  void backwardWithoutArgumentNeedsAScalar() {
    Tensor x = Tensor.ones(2).requiresGrad(true);
    Tensor y = x.mul(2.0);

    assertThatThrownBy(y::backward).hasMessageContaining("scalar outputs").hasMessageContaining("[2]");
    y.backward(Tensor.of(new double[] {1, 10}, 2));
    assertThat(x.grad().toArray()).containsExactly(2, 20);
  }

  @Test
  void backwardChecksTheGradOutputShape() {
    Tensor y = Tensor.ones(2, 2).requiresGrad(true).mul(2.0);

    assertThatThrownBy(() -> y.backward(Tensor.ones(4)))
        .hasMessageContaining("Mismatch in shape").hasMessageContaining("[4]").hasMessageContaining("[2, 2]");
  }

  @Test
  void setGradChecksShape() {
    Tensor x = Tensor.zeros(2, 2).requiresGrad(true);
    assertThatThrownBy(() -> x.setGrad(Tensor.zeros(4))).hasMessageContaining("[2, 2]")
        .hasMessageContaining("[4]");
    x.setGrad(Tensor.ones(2, 2));
    assertThat(x.grad().toArray()).containsExactly(1, 1, 1, 1);
  }

  @Test
  void allCloseComparesShapesAndValues() {
    Tensor a = Tensor.of(new double[] {1, 2}, 2);
    assertThat(a.allClose(Tensor.of(new double[] {1, 2 + 1e-9}, 2), 1e-8, 0)).isTrue();
    assertThat(a.allClose(Tensor.of(new double[] {1, 2.1}, 2), 1e-8, 0)).isFalse();
    assertThat(a.allClose(Tensor.of(new double[] {1, 2}, 1, 2), 1e-8, 0)).isFalse();
  }

  @Test
  void arithmeticMatchesPlainDoubles() {
    Tensor a = Tensor.of(new double[] {1, -2, 3, -4}, 2, 2);
    Tensor b = Tensor.of(new double[] {2, 4, 8, 16}, 2, 2);

    assertThat(a.add(b).toArray()).containsExactly(3, 2, 11, 12);
    assertThat(a.sub(b).toArray()).containsExactly(-1, -6, -5, -20);
    assertThat(a.mul(b).toArray()).containsExactly(2, -8, 24, -64);
    assertThat(a.div(b).toArray()).containsExactly(0.5, -0.5, 0.375, -0.25);
    assertThat(a.neg().toArray()).containsExactly(-1, 2, -3, 4);
    assertThat(a.abs().toArray()).containsExactly(1, 2, 3, 4);
    assertThat(b.pow(0.5).toArray()).containsExactly(Math.sqrt(2), 2, Math.sqrt(8), 4);
    assertThat(a.sum().item()).isEqualTo(-2);
    assertThat(a.mean().item()).isEqualTo(-0.5);
    assertThat(a.add(1.0).sub(2.0).mul(3.0).div(4.0).toArray()).containsExactly(0, -2.25, 1.5, -3.75);
  }

  @Test
  void singleElementOperandsBroadcastLikeTorch() {
    Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);

    assertThat(a.add(Tensor.of(new double[] {10}, 1, 1)).shape()).containsExactly(2, 3);
    assertThat(Tensor.scalar(10).sub(a).toArray()).containsExactly(9, 8, 7, 6, 5, 4);
    assertThat(Tensor.scalar(10).sub(a).shape()).containsExactly(2, 3);
    assertThat(Tensor.of(new double[] {2}, 1).mul(Tensor.of(new double[] {3}, 1, 1)).shape())
        .containsExactly(1, 1);
    assertThat(a.mul(Tensor.of(new double[] {2}, 1, 1, 1)).shape()).as("torch prepends the scalar's dims")
        .containsExactly(1, 2, 3);
    assertThat(Tensor.zeros(0, 3).add(1.0).shape()).containsExactly(0, 3);
  }

  @Test
  void shapesOutsideNumpysBroadcastingRulesAreRejectedWithBothShapes() {
    assertThatThrownBy(() -> Tensor.zeros(2, 3).add(Tensor.zeros(3, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
    assertThatThrownBy(() -> Tensor.zeros(2, 3).mul(Tensor.zeros(4, 3)))
        .hasMessageContaining("[4, 3]");
    assertThat(Tensor.zeros(2, 3).mul(Tensor.zeros(1, 3)).shape()).containsExactly(2, 3);
  }
}
