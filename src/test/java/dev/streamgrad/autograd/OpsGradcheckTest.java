package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.ops.Abs;
import dev.streamgrad.autograd.ops.Add;
import dev.streamgrad.autograd.ops.Div;
import dev.streamgrad.autograd.ops.Mean;
import dev.streamgrad.autograd.ops.Mul;
import dev.streamgrad.autograd.ops.Neg;
import dev.streamgrad.autograd.ops.Pow;
import dev.streamgrad.autograd.ops.Reshape;
import dev.streamgrad.autograd.ops.Sub;
import dev.streamgrad.autograd.ops.Sum;
import dev.streamgrad.nn.MseLoss;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in op's gradient against central differences with PyTorch's gradcheck defaults, in
 * double precision, on even, odd, prime, power-of-two, 1xN, Nx1 and 0-D shapes, and with a
 * single-element operand (0-D scalar or {@code 1x1}) broadcast on either side.
 */
class OpsGradcheckTest {
  private static final int[][] SHAPES = {{4, 6}, {3, 5}, {7, 2}, {8, 8}, {1, 9}, {5, 1}, {}, {13}, {2, 3, 2}};
  private static final int[][] SINGLE = {{}, {1, 1}, {1}};

  static Stream<int[]> shapes() {
    return Stream.of(SHAPES);
  }

  static Stream<Arguments> binaryCases() {
    Stream.Builder<Arguments> out = Stream.builder();
    for (String op : new String[] {"add", "sub", "mul", "div"}) {
      for (int[] shape : SHAPES) {
        out.add(Arguments.of(op, shape, shape));
      }
      for (int[] single : SINGLE) {
        out.add(Arguments.of(op, new int[] {4, 6}, single));
        out.add(Arguments.of(op, single, new int[] {3, 5}));
      }
      out.add(Arguments.of(op, new int[] {1, 1}, new int[] {}));
      out.add(Arguments.of(op, new int[] {2, 3}, new int[] {1, 1, 1}));
    }
    return out.build();
  }

  private static Function binary(String op) {
    switch (op) {
      case "add":
        return new Add();
      case "sub":
        return new Sub();
      case "mul":
        return new Mul();
      default:
        return new Div();
    }
  }

  /** Values in [0.5, 2) with random sign: away from 0, where div, pow and abs are smooth enough. */
  static Tensor awayFromZero(Random rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    double[] v = t.buffer();
    for (int i = 0; i < v.length; i++) {
      v[i] = (0.5 + 1.5 * rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
    }
    return t.requiresGrad(true);
  }

  static Tensor positive(Random rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    double[] v = t.buffer();
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.5 + 1.5 * rng.nextDouble();
    }
    return t.requiresGrad(true);
  }

  @ParameterizedTest(name = "{0} {1} with {2}")
  @MethodSource("binaryCases")
  void binaryTensorOps(String op, int[] a, int[] b) {
    Random rng = new Random(op.hashCode() * 31L + a.length * 7L + b.length);
    Tensor x = awayFromZero(rng, a);
    Tensor y = awayFromZero(rng, b);

    assertThat(Gradcheck.gradcheck(binary(op), x, y)).isTrue();
  }

  @ParameterizedTest(name = "{0} {1} only the first operand requires grad")
  @MethodSource("binaryCases")
  void binaryOpsWithAConstantOperand(String op, int[] a, int[] b) {
    Random rng = new Random(op.hashCode() + 5L * a.length + b.length);
    Tensor x = awayFromZero(rng, a);
    Tensor y = awayFromZero(rng, b).requiresGrad(false);

    assertThat(Gradcheck.gradcheck(binary(op), x, y)).isTrue();
    assertThat(Gradcheck.gradcheck(binary(op), y, x)).isTrue();
  }

  @ParameterizedTest(name = "scalar ops {0}")
  @MethodSource("shapes")
  void scalarOperandMethods(int[] shape) {
    Tensor x = awayFromZero(new Random(3), shape);

    for (Supplier<Gradcheck.TensorFunction> f : java.util.List.<Supplier<Gradcheck.TensorFunction>>of(
        () -> in -> new Tensor[] {in[0].add(1.25)},
        () -> in -> new Tensor[] {in[0].sub(-0.5)},
        () -> in -> new Tensor[] {in[0].mul(-3.0)},
        () -> in -> new Tensor[] {in[0].div(0.75)})) {
      assertThat(Gradcheck.withDefaults().check(f.get(), x)).isTrue();
    }
  }

  @ParameterizedTest(name = "neg, abs, sum, mean {0}")
  @MethodSource("shapes")
  void unaryOps(int[] shape) {
    Random rng = new Random(shape.length * 17L + Shapes.numel(shape));
    Tensor x = awayFromZero(rng, shape);

    assertThat(Gradcheck.gradcheck(new Neg(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Abs(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Sum(), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Mean(), x)).isTrue();
  }

  @ParameterizedTest(name = "pow {0}")
  @MethodSource("shapes")
  void powWithIntegerAndFractionalExponents(int[] shape) {
    Random rng = new Random(11);
    Tensor any = awayFromZero(rng, shape);
    Tensor pos = positive(rng, shape);

    for (double p : new double[] {0, 1, 2, 3, -1, -2}) {
      assertThat(Gradcheck.gradcheck(new Pow(p), any)).as("exponent %s", p).isTrue();
    }
    for (double p : new double[] {0.5, 1.5, -0.5, 2.7}) {
      assertThat(Gradcheck.gradcheck(new Pow(p), pos)).as("exponent %s", p).isTrue();
    }
  }

  @ParameterizedTest(name = "reshape {0}")
  @MethodSource("shapes")
  void reshape(int[] shape) {
    Tensor x = awayFromZero(new Random(5), shape);
    int n = x.numel();

    assertThat(Gradcheck.gradcheck(new Reshape(n), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Reshape(1, -1), x)).isTrue();
    assertThat(Gradcheck.gradcheck(new Reshape(-1, 1, 1), x)).isTrue();
  }

  @ParameterizedTest(name = "mseLoss {0}")
  @MethodSource("shapes")
  void mseLossInputAndTarget(int[] shape) {
    Random rng = new Random(23);
    Tensor input = awayFromZero(rng, shape);
    Tensor target = awayFromZero(rng, shape);

    assertThat(Gradcheck.gradcheck(new MseLoss(), input, target)).isTrue();
    assertThat(Gradcheck.gradcheck(new MseLoss(), input, target.detach())).isTrue();
  }

  @ParameterizedTest(name = "composite {0}")
  @MethodSource("shapes")
  void compositeExpressionsThroughTheEngine(int[] shape) {
    Random rng = new Random(29);
    Tensor a = awayFromZero(rng, shape);
    Tensor b = positive(rng, shape);
    // 0-D, as a [1, 1] operand would turn a 1-D result into [1, n] (torch's broadcasting too)
    Tensor s = awayFromZero(rng);

    Gradcheck.TensorFunction f = in -> new Tensor[] {
        in[0].mul(in[1]).add(in[2]).div(in[1].pow(0.5)).sub(in[0].abs().neg()).reshape(-1).mean(),
        in[0].mul(in[0]).sum().mul(in[2])};

    assertThat(Gradcheck.withDefaults().check(f, a, b, s)).isTrue();
  }
}
