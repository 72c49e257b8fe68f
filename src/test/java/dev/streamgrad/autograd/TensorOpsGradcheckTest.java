package dev.streamgrad.autograd;

import static dev.streamgrad.autograd.OpsGradcheckTest.awayFromZero;
import static dev.streamgrad.autograd.OpsGradcheckTest.positive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.ops.Add;
import dev.streamgrad.autograd.ops.Clamp;
import dev.streamgrad.autograd.ops.Div;
import dev.streamgrad.autograd.ops.Exp;
import dev.streamgrad.autograd.ops.Log;
import dev.streamgrad.autograd.ops.MeanDim;
import dev.streamgrad.autograd.ops.Mul;
import dev.streamgrad.autograd.ops.Narrow;
import dev.streamgrad.autograd.ops.Pad;
import dev.streamgrad.autograd.ops.Relu;
import dev.streamgrad.autograd.ops.Sigmoid;
import dev.streamgrad.autograd.ops.Sqrt;
import dev.streamgrad.autograd.ops.Sub;
import dev.streamgrad.autograd.ops.SumDim;
import dev.streamgrad.autograd.ops.Tanh;
import dev.streamgrad.autograd.ops.Where;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradients of the ops a layer author reaches for (elementwise, masks, slicing and padding,
 * reductions over dimensions) and of numpy-rule broadcasting in the binary ops, against central
 * differences with PyTorch's gradcheck defaults in double precision, on even, odd, prime,
 * power-of-two, 1xN, Nx1, 0-D and 3-D shapes.
 */
class TensorOpsGradcheckTest {
  private static final int[][] SHAPES = {{4, 6}, {3, 5}, {7, 2}, {8, 8}, {1, 9}, {5, 1}, {}, {13}, {2, 3, 2}};
  private static final int[][][] PAIRS = {
      {{3, 1}, {1, 4}}, {{5}, {2, 5}}, {{2, 5}, {5}}, {{4, 1, 3}, {2, 1}}, {{}, {2, 3}}, {{7, 1}, {1, 13}},
      {{1, 8}, {16, 1}}, {{2, 1, 4}, {3, 1}}, {{20, 1}, {20, 3}}, {{1, 3}, {40, 3}}, {{2, 1, 1}, {1, 3, 5}}};

  static Stream<int[]> shapes() {
    return Stream.of(SHAPES);
  }

  static Stream<Arguments> pairs() {
    return Stream.of(PAIRS).map(p -> Arguments.of(p[0], p[1]));
  }

  private static Random rng(int[] shape) {
    return new Random(31L * shape.length + Shapes.numel(shape));
  }

  @ParameterizedTest(name = "exp, tanh, sigmoid, relu, clamp {0}")
  @MethodSource("shapes")
  void elementwiseOnAnyValues(int[] shape) {
    Tensor x = awayFromZero(rng(shape), shape);

    assertThat(Gradcheck.gradcheck(new Exp(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Tanh(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Sigmoid(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Relu(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Clamp(-1.25, 0.75), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Clamp(-0.4, Double.POSITIVE_INFINITY), x)).isTrue();
  }

  @ParameterizedTest(name = "log, sqrt {0}")
  @MethodSource("shapes")
  void logAndSqrtOnPositiveValues(int[] shape) {
    Tensor x = positive(rng(shape), shape);

    assertThat(Gradcheck.gradcheck(new Log(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Sqrt(), x)).isTrue();
  }

  @ParameterizedTest(name = "add, sub, mul, div {0} with {1}")
  @MethodSource("pairs")
  void binaryOpsBroadcastByNumpyRules(int[] a, int[] b) {
    Random rng = rng(a);
    Tensor x = awayFromZero(rng, a);
    Tensor y = awayFromZero(rng, b);

    for (Function f : new Function[] {new Add(), new Sub(), new Mul(), new Div()}) {
      assertThat(Gradcheck.gradcheck(f, x, y)).as("%s", f.name()).isTrue();
      assertThat(Gradcheck.gradcheck(f, y, x)).as("%s swapped", f.name()).isTrue();
    }
  }

  @ParameterizedTest(name = "where, maskedFill {0} with {1}")
  @MethodSource("pairs")
  void whereBroadcastsConditionAndBothBranches(int[] a, int[] b) {
    Random rng = rng(b);
    Tensor x = awayFromZero(rng, a);
    Tensor y = awayFromZero(rng, b);
    Tensor cond = awayFromZero(rng, b).detach().gt(0.0);

    assertThat(Gradcheck.gradcheck(new Where(), cond, x, y)).isTrue();
    assertThat(Gradcheck.withDefaults().check(in -> new Tensor[] {in[0].maskedFill(in[0].gt(0.0), 2.5)}, x))
        .isTrue();
  }

  @ParameterizedTest(name = "narrow, slice {0}")
  @MethodSource("shapes")
  void narrowAndSliceEveryDimension(int[] shape) {
    Tensor x = awayFromZero(rng(shape), shape);

    for (int d = 0; d < shape.length; d++) {
      int size = shape[d];
      assertThat(Gradcheck.gradcheck(new Narrow(d, size / 2, size - size / 2), x)).isTrue();
      assertThat(Gradcheck.gradcheck(new Narrow(d - shape.length, 0, Math.min(size, 2)), x)).isTrue();
      int dim = d;
      assertThat(Gradcheck.withDefaults().check(in -> new Tensor[] {in[0].slice(dim, 1, -1)}, x)).isTrue();
    }
  }

  @ParameterizedTest(name = "pad {0}")
  @MethodSource("shapes")
  void constantPadGrowsAndCrops(int[] shape) {
    Tensor x = awayFromZero(rng(shape), shape);

    assertThat(Gradcheck.gradcheck(new Pad(0.0), x)).isTrue();
    if (shape.length >= 1) {
      assertThat(Gradcheck.gradcheck(new Pad(1.5, 2, 1), x)).isTrue();
      assertThat(Gradcheck.gradcheck(new Pad(0.0, 0, 3), x)).isTrue();
    }
    if (shape.length >= 2) {
      assertThat(Gradcheck.gradcheck(new Pad(-1.0, 1, 1, 2, 0), x)).isTrue();
      if (shape[shape.length - 1] > 2) {
        assertThat(Gradcheck.gradcheck(new Pad(0.0, -1, 1, 1, 1), x)).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "sum, mean over dims {0}")
  @MethodSource("shapes")
  void reductionsOverDimensionsWithAndWithoutKeepdim(int[] shape) {
    Tensor x = awayFromZero(rng(shape), shape);

    for (boolean keepdim : new boolean[] {false, true}) {
      for (int d = 0; d < Math.max(1, shape.length); d++) {
        assertThat(Gradcheck.gradcheck(new SumDim(keepdim, d), x)).isTrue();
        assertThat(Gradcheck.gradcheck(new MeanDim(keepdim, -1 - d), x)).isTrue();
      }
      if (shape.length >= 2) {
        assertThat(Gradcheck.gradcheck(new SumDim(keepdim, 0, shape.length - 1), x)).isTrue();
        assertThat(Gradcheck.gradcheck(new MeanDim(keepdim, shape.length - 1, 0), x)).isTrue();
      }
    }
  }

  @ParameterizedTest(name = "a layer as a user writes it {0}")
  @MethodSource("shapes")
  void layerWrittenWithTensorMethodsThroughTheEngine(int[] shape) {
    Random rng = rng(shape);
    Tensor x = awayFromZero(rng, shape);
    Tensor w = awayFromZero(rng, shape.length == 0 ? new int[0] : new int[] {shape[shape.length - 1]});
    Tensor b = awayFromZero(rng);
    Tensor scale = awayFromZero(rng);

    // scale * tanh(x * w + b) + relu(pad(x)) cropped back, summed per row and averaged
    Gradcheck.TensorFunction f = in -> {
      Tensor y = in[3].mul(in[0].mul(in[1]).add(in[2]).tanh());
      Tensor skip = in[0].dim() == 0 ? in[0] : in[0].pad(1, 1).relu().narrow(-1, 1, in[0].size(-1));
      Tensor z = y.add(skip.sigmoid()).clamp(-1.5, 1.5);
      return new Tensor[] {z.dim() == 0 ? z : z.sum(-1, true).mean(0, false)};
    };

    assertThat(Gradcheck.withDefaults().check(f, x, w, b, scale)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void selectRemovesTheDimensionAndItsGradientScattersBack() {
    Tensor x = awayFromZero(new java.util.Random(9), 3, 4, 5);
    for (int dim = 0; dim < 3; dim++) {
      int d = dim;
      for (int index : new int[] {0, 2, -1}) {
        assertThat(Gradcheck.withDefaults().check(in -> new Tensor[] {in[0].select(d, index)}, x)).isTrue();
      }
    }
    Tensor row = x.select(1, -1);
    assertThat(row.shape()).containsExactly(3, 5);
    assertThat(row.get(2, 4)).isEqualTo(x.get(2, 3, 4));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> x.select(1, 4))
        .hasMessage("select: index 4 out of range for dimension 1 of size 4 (shape [3, 4, 5])");
  }
}
