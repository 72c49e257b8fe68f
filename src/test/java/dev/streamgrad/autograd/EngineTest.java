package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EngineTest {

  /** Identity that logs its tag when its backward runs, and the gradient it received. */
  static final class Tag extends Function {
    private final String tag;
    private final List<String> log;

    Tag(String tag, List<String> log) {
      this.tag = tag;
      this.log = log;
    }

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return tensors(in[0].copy());
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      log.add(tag + "=" + grad[0].sum().item());
      return tensors(grad[0]);
    }
  }

  /** Returns a gradient of a fixed shape whatever the input's shape. */
  static final class FixedShapeGrad extends Function {
    private final int[] gradShape;

    FixedShapeGrad(int... gradShape) {
      this.gradShape = gradShape;
    }

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return tensors(in[0].copy());
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors(Tensor.ones(gradShape));
    }
  }

  /** Returns one gradient too many. */
  static final class TooManyGrads extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return tensors(in[0].copy());
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors(grad[0], grad[0]);
    }
  }

  private static Tensor leaf(double... values) {
    return Tensor.of(values, values.length).requiresGrad(true);
  }

  @Test
  void nodesRunInTopologicalOrderEachOnceWithSummedGradients() {
    List<String> log = new ArrayList<>();
    Tensor x = leaf(1, 2);
    Tensor a = new Tag("a", log).apply(x);
    Tensor b = new Tag("b", log).apply(a.mul(2.0));
    // c depends on a directly and through b: a must wait for both contributions
    Tensor c = new Tag("c", log).apply(b.add(a));
    c.sum().backward();

    assertThat(log).containsExactly("c=2.0", "b=2.0", "a=6.0");
    assertThat(x.grad().toArray()).containsExactly(3, 3);
  }

  @Test
  void longChainDoesNotOverflowTheStack() {
    Tensor x = leaf(1);
    Tensor y = x;
    for (int i = 0; i < 20_000; i++) {
      y = y.add(1.0);
    }
    y.sum().backward();

    assertThat(x.grad().item()).isEqualTo(1);
  }

  @Test
  void diamondAccumulatesIntoTheLeaf() {
    Tensor x = leaf(1, 2, 3);
    Tensor left = x.mul(2.0);
    Tensor right = x.pow(2);
    left.add(right).sum().backward();

    assertThat(x.grad().toArray()).containsExactly(4, 6, 8);
  }

  @Test
  void leafUsedTwiceInOneOpGetsBothGradients() {
    Tensor x = leaf(3);
    x.mul(x).sum().backward();

    assertThat(x.grad().item()).isEqualTo(6);
  }

  @Test
  void gradientsAccumulateAcrossBackwardCallsUntilCleared() {
    Tensor x = leaf(1, 2);
    x.mul(3.0).sum().backward();
    Tensor first = x.grad();
    x.mul(3.0).sum().backward();

    assertThat(x.grad().toArray()).containsExactly(6, 6);
    assertThat(first.toArray()).as("an earlier gradient is not changed in place").containsExactly(3, 3);
    x.setGrad(null);
    x.mul(1.0).sum().backward();
    assertThat(x.grad().toArray()).containsExactly(1, 1);
  }

  @Test
  void onlyLeavesThatRequireGradReceiveGradients() {
    Tensor x = leaf(1, 2);
    Tensor c = Tensor.of(new double[] {5, 6}, 2);
    Tensor y = x.mul(c);
    y.sum().backward();

    assertThat(c.grad()).isNull();
    assertThat(y.grad()).as("non-leaf, as torch without retain_grad").isNull();
    assertThat(x.grad().toArray()).containsExactly(5, 6);
  }

  @Test
  void backwardOnATensorWithoutGraphIsRefused() {
    assertThatThrownBy(() -> Tensor.ones(1).backward())
        .hasMessageContaining("does not require grad and does not have a grad_fn");
  }

  @Test
  void backwardFromALeafAccumulatesDirectly() {
    Tensor x = leaf(1, 2);
    x.backward(Tensor.of(new double[] {4, 5}, 2));

    assertThat(x.grad().toArray()).containsExactly(4, 5);
  }

  @Test
  void wrongGradientShapeIsReportedInPyTorchsWords() {
    Tensor x = Tensor.zeros(7, 7).requiresGrad(true);
    Tensor y = new FixedShapeGrad(7, 6).apply(x);

    assertThatThrownBy(() -> y.sum().backward())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Function FixedShapeGradBackward returned an invalid gradient at index 0 - got [7, 6]"
            + " but expected shape compatible with [7, 7]");
  }

  @Test
  void broadcastGradientIsSummedToTheInputShape() {
    Tensor x = Tensor.zeros(1, 3).requiresGrad(true);
    new FixedShapeGrad(2, 4, 3).apply(x).sum().backward();

    assertThat(x.grad().shape()).containsExactly(1, 3);
    assertThat(x.grad().toArray()).containsExactly(8, 8, 8);
  }

  @Test
  void wrongNumberOfGradientsIsReported() {
    Tensor y = new TooManyGrads().apply(leaf(1));

    assertThatThrownBy(() -> y.sum().backward())
        .hasMessageContaining("TooManyGradsBackward returned an incorrect number of gradients (expected 1, got 2)");
  }

  @Test
  void savedTensorsAreFreedAfterBackward() {
    Tensor x = leaf(1, 2);
    Tensor loss = x.mul(x).sum();
    loss.backward();

    assertThatThrownBy(loss::backward)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Trying to backward through the graph a second time")
        .hasMessageContaining("retainGraph=true");
  }

  @Test
  void retainGraphAllowsASecondBackward() {
    Tensor x = leaf(1, 2);
    Tensor loss = x.mul(x).sum();
    loss.backward(Tensor.scalar(1), true);
    loss.backward(Tensor.scalar(1), true);
    loss.backward(Tensor.scalar(1));

    assertThat(x.grad().toArray()).containsExactly(6, 12);
    assertThatThrownBy(loss::backward).hasMessageContaining("second time");
  }

  @Test
  @SuppressWarnings("try") // the idiomatic scope, whose variable is only closed
  void noGradScopeRecordsNothingAndRestoresTheMode() {
    Tensor x = leaf(1, 2);
    Tensor y;
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      assertThat(GradMode.isEnabled()).isFalse();
      y = x.mul(2.0);
      try (GradMode.Scope inner = GradMode.enableGrad()) {
        assertThat(x.mul(2.0).requiresGrad()).isTrue();
      }
      assertThat(GradMode.isEnabled()).isFalse();
    }

    assertThat(GradMode.isEnabled()).isTrue();
    assertThat(y.requiresGrad()).isFalse();
    assertThat(y.isLeaf()).isTrue();
    assertThat(x.mul(2.0).requiresGrad()).isTrue();
  }

  @Test
  @SuppressWarnings("try") // the idiomatic scope, whose variable is only closed
  void noGradScopeIsRestoredWhenTheBodyThrows() {
    assertThatThrownBy(() -> {
      try (GradMode.Scope ignored = GradMode.noGrad()) {
        throw new IllegalStateException("boom");
      }
    }).hasMessage("boom");
    assertThat(GradMode.isEnabled()).isTrue();
  }

  @Test
  @SuppressWarnings("try") // the idiomatic scope, whose variable is only closed
  void gradModeIsPerThread() throws InterruptedException {
    AtomicBoolean otherThread = new AtomicBoolean();
    try (GradMode.Scope ignored = GradMode.noGrad()) {
      Thread t = new Thread(() -> otherThread.set(GradMode.isEnabled()));
      t.start();
      t.join();
    }
    assertThat(otherThread).isTrue();
  }

  @Test
  void inPlaceChangeOfASavedTensorIsDetectedAtBackward() {
    Tensor x = leaf(1, 2);
    Tensor c = Tensor.of(new double[] {3, 4}, 2);
    Tensor y = x.mul(c);
    c.set(10, 0);

    assertThatThrownBy(() -> y.sum().backward())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one of the variables needed for gradient computation has been modified by an"
            + " inplace operation")
        .hasMessageContaining("[Tensor of shape [2]]")
        .hasMessageContaining("MulBackward")
        .hasMessageContaining("is at version 1; expected version 0 instead");
  }

  @Test
  void inPlaceChangeThroughAViewIsDetectedToo() {
    Tensor x = leaf(1, 2, 3, 4);
    Tensor c = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor y = x.reshape(2, 2).mul(c);
    c.reshape(4).set(0, 3);

    assertThatThrownBy(() -> y.sum().backward()).hasMessageContaining("modified by an inplace operation");
  }

  @Test
  void writesThroughBufferMustBeMarked() {
    Tensor x = leaf(1, 2);
    Tensor c = Tensor.of(new double[] {3, 4}, 2);
    Tensor y = x.mul(c);
    c.buffer()[0] = 5;
    c.markModified();

    assertThatThrownBy(() -> y.sum().backward()).hasMessageContaining("inplace");
  }

  @Test
  void unchangedSavedTensorsPass() {
    Tensor x = leaf(1, 2);
    Tensor c = Tensor.of(new double[] {3, 4}, 2);
    Tensor y = x.mul(c);
    Tensor other = Tensor.zeros(2);
    other.set(1, 0);
    y.sum().backward();

    assertThat(x.grad().toArray()).containsExactly(3, 4);
  }
}
