package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GradcheckTest {

  /** {@code x^3} whose backward forgets the factor 3: analytical {@code x^2 g}, true {@code 3 x^2 g}. */
  static final class WrongCube extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return tensors(in[0].pow(3));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      Tensor x = ctx.savedTensors()[0];
      return tensors(x.mul(x).mul(grad[0]));
    }
  }

  /** The package documentation's example: {@code x^3} with a correct backward. */
  static final class Cube extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      return tensors(in[0].pow(3));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      Tensor x = ctx.savedTensors()[0];
      return tensors(grad[0].mul(x.pow(2)).mul(3.0));
    }
  }

  @Test
  void packageDocumentationExampleWorks() {
    Tensor x = Tensor.randn(0, 3, 4).requiresGrad(true);
    new Cube().apply(x).sum().backward();

    assertThat(x.grad().allClose(x.pow(2).mul(3.0), 1e-15, 0)).isTrue();
    assertThat(Gradcheck.gradcheck(new Cube(), x)).isTrue();
  }

  /** {@code a * b} with a correct gradient for {@code a} and one element of {@code b}'s off by 0.5. */
  static final class WrongSecondInput extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0], in[1]);
      return tensors(in[0].mul(in[1]));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      Tensor[] s = ctx.savedTensors();
      Tensor gb = grad[0].mul(s[0]);
      // only d out[2] / d b[2] is wrong: 0.5 too large
      gb.buffer()[2] += 0.5 * grad[0].buffer()[2];
      return tensors(grad[0].mul(s[1]), gb);
    }
  }

  /** {@code 2x}, but backward adds 1 to whatever it gets: wrong when output gradients are undefined. */
  static final class NonZeroForZeroGrad extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return tensors(in[0].mul(2.0));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      Tensor g = grad[0].mul(2.0);
      boolean allZero = true;
      for (double v : grad[0].buffer()) {
        allZero &= v == 0;
      }
      return tensors(allZero ? g.add(1.0) : g);
    }
  }

  /** {@code 2x} with materialized gradients off and a backward that does not expect null. */
  static final class NoNullHandling extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.setMaterializeGrads(false);
      return tensors(in[0].mul(2.0));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors(grad[0].mul(2.0));
    }
  }

  /** Like {@link NoNullHandling} but handling null as PyTorch's docs ask. */
  static final class NullHandling extends Function {
    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.setMaterializeGrads(false);
      return tensors(in[0].mul(2.0));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors(grad[0] == null ? null : grad[0].mul(2.0));
    }
  }

  private static Tensor input(double... values) {
    return Tensor.of(values, values.length).requiresGrad(true);
  }

  @Test
  void defaultsArePyTorchs() {
    Gradcheck g = Gradcheck.withDefaults();
    assertThat(g.eps()).isEqualTo(1e-6);
    assertThat(g.atol()).isEqualTo(1e-5);
    assertThat(g.rtol()).isEqualTo(1e-3);
    assertThat(g.raisesException()).isTrue();
  }

  @Test
  void wrongBackwardFailsNamingInputElementAndBothValues() {
    Tensor x = input(0.5, -1.5, 2.0);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new WrongCube(), x))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("Jacobian mismatch for output 0 with respect to input 0")
        .hasMessageContaining("input element 0")
        // d(x^3)/dx at 0.5 = 0.75; the wrong backward gives 0.25
        .hasMessageContaining("numerical: 0.75000000")
        .hasMessageContaining("analytical: 0.2500000000");
  }

  @Test
  void failureNamesTheInputAndElementThatIsWrong() {
    Tensor a = input(1, 2, 3, 4);
    Tensor b = input(5, 6, 7, 8);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new WrongSecondInput(), a, b))
        .hasMessageContaining("with respect to input 1")
        .hasMessageContaining("input element 2 and output element 2")
        .hasMessageContaining("numerical: 3.0000")
        .hasMessageContaining("analytical: 3.5000");
  }

  @Test
  void returnsFalseInsteadOfThrowingWhenAsked() {
    Tensor x = input(0.5, -1.5, 2.0);

    assertThat(Gradcheck.withDefaults().raiseException(false).check(new WrongCube()::applyAll, x)).isFalse();
    assertThat(Gradcheck.withDefaults().raiseException(false).check(in -> new Tensor[] {in[0].pow(3)}, x))
        .isTrue();
  }

  @Test
  void toleranceDecidesBorderlineCases() {
    Tensor a = input(1, 2, 3, 4);
    Tensor b = input(5, 6, 7, 8);
    // the error is 0.5 on a derivative of 3: outside the defaults, inside rtol 0.2
    assertThat(Gradcheck.withDefaults().raiseException(false).check(new WrongSecondInput()::applyAll, a, b))
        .isFalse();
    assertThat(Gradcheck.withDefaults().rtol(0.2).check(new WrongSecondInput()::applyAll, a, b)).isTrue();
    assertThat(Gradcheck.withDefaults().atol(0.6).check(new WrongSecondInput()::applyAll, a, b)).isTrue();
  }

  @Test
  void undefinedOutputGradientsMustActAsZeros() {
    Tensor x = input(1, -2);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new NonZeroForZeroGrad(), x))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("undefined output grads").hasMessageContaining("input 0");
    assertThat(Gradcheck.withDefaults().checkUndefinedGrad(false).check(new NonZeroForZeroGrad()::applyAll, x))
        .isTrue();
  }

  @Test
  void backwardThatCannotTakeNullFailsTheUndefinedGradCheck() {
    Tensor x = input(1, -2);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new NoNullHandling(), x))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("every output gradient was undefined")
        .hasMessageContaining("NullPointerException");
    assertThat(Gradcheck.gradcheck(new NullHandling(), x)).isTrue();
  }

  @Test
  void inputsAndTheirGradientsAreRestored() {
    Tensor x = input(0.25, 0.5);
    x.setGrad(Tensor.of(new double[] {7, 8}, 2));
    int version = x.version();

    Gradcheck.gradcheck(new dev.streamgrad.autograd.ops.Pow(3), x);

    assertThat(x.toArray()).containsExactly(0.25, 0.5);
    assertThat(x.grad().toArray()).containsExactly(7, 8);
    assertThat(x.version()).isEqualTo(version);
  }

  @Test
  void inputsThatDoNotRequireGradAreNotChecked() {
    Tensor a = input(1, 2, 3, 4);
    Tensor b = input(5, 6, 7, 8).requiresGrad(false);

    assertThat(Gradcheck.gradcheck(new WrongSecondInput(), a, b)).isTrue();
    assertThat(Gradcheck.withDefaults().raiseException(false)
        .check(new WrongSecondInput()::applyAll, a, b.requiresGrad(true))).isFalse();
  }

  @Test
  void atLeastOneInputMustRequireGrad() {
    Tensor a = input(1, 2).requiresGrad(false);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new WrongSecondInput(), a, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one input tensor to require gradient");
  }

  /** {@code 2x} whose backward adds a little noise that changes from call to call. */
  static final class Nondeterministic extends Function {
    private int calls;

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      return tensors(in[0].mul(2.0));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors(grad[0].mul(2.0 + 1e-9 * ++calls));
    }
  }

  @Test
  void nondeterministicBackwardIsReported() {
    assertThatThrownBy(() -> Gradcheck.gradcheck(new Nondeterministic(), input(1, 2)))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("Backward is not reentrant");
  }

  /** Rounds its input: piecewise constant, so no differentiable output, but marked wrongly as such. */
  static final class Indices extends Function {
    private final boolean dependsOnInput;

    Indices(boolean dependsOnInput) {
      this.dependsOnInput = dependsOnInput;
    }

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      Tensor out = dependsOnInput ? in[0].mul(1000.0) : Tensor.ones(in[0].shape());
      ctx.markNonDifferentiable(out);
      return tensors(out);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      return tensors((Tensor) null);
    }
  }

  @Test
  void functionWithoutDifferentiableOutputsMustNotDependOnItsInputs() {
    assertThat(Gradcheck.gradcheck(new Indices(false), input(1, 2))).isTrue();
    assertThatThrownBy(() -> Gradcheck.gradcheck(new Indices(true), input(1, 2)))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("Numerical gradient for function expected to be zero")
        .hasMessageContaining("input element 0");
  }

  @Test
  void epsIsTheCentralDifferenceStep() {
    // For x^3 the central difference is 3x^2 + eps^2 exactly: a large eps shows up in the numbers.
    Tensor x = input(1.0);
    Gradcheck coarse = Gradcheck.withDefaults().eps(0.1).raiseException(false);

    assertThat(coarse.check(in -> new Tensor[] {in[0].pow(3)}, x)).as("3.01 vs 3 within rtol 1e-3 + atol")
        .isFalse();
    assertThat(coarse.rtol(0.01).check(in -> new Tensor[] {in[0].pow(3)}, x)).isTrue();
  }
}
