package dev.streamgrad.autograd;

import java.util.Arrays;
import java.util.Locale;

/**
 * Compares the gradients a function's backward computes with central finite differences, as
 * {@code torch.autograd.gradcheck} does: for every differentiable input and every output, the
 * analytical Jacobian (one backward per output element) must equal the numerical one within
 * {@code atol + rtol * |numerical|}. Also checks, like PyTorch's {@code check_undefined_grad}, that
 * backward treats undefined output gradients as zeros, that backward is deterministic (run twice, it
 * gives the same Jacobian: PyTorch's reentrancy check with nondet_tol 0), and that a function
 * without differentiable outputs has a zero numerical Jacobian.
 *
 * <p>Inputs must be double precision (streamgrad's only precision) and those to check must
 * require grad. The inputs are perturbed in place during the check and restored afterwards. A
 * function whose outputs change shape (or number) when an input is perturbed fails with PyTorch's
 * message, {@code Expected `func` to return outputs with the same shape when inputs are perturbed
 * on index (0, 1) by 1e-06, but got: shapes [2] and [3].}, even with {@code raiseException(false)},
 * as PyTorch asserts it outside its {@code raise_exception} handling.
 */
public final class Gradcheck {
  /** A function under test: tensors in, tensors out. */
  @FunctionalInterface
  public interface TensorFunction {
    Tensor[] apply(Tensor... inputs);
  }

  private double eps = 1e-6;
  private double atol = 1e-5;
  private double rtol = 1e-3;
  private boolean raiseException = true;
  private boolean checkUndefinedGrad = true;

  /** A check with PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3, raising on failure. */
  public static Gradcheck withDefaults() {
    return new Gradcheck();
  }

  /** Shorthand for {@code withDefaults().check(f::applyAll, inputs)}, raising on failure. */
  public static boolean gradcheck(Function f, Tensor... inputs) {
    return withDefaults().check(f::applyAll, inputs);
  }

  public Gradcheck eps(double value) {
    this.eps = value;
    return this;
  }

  public Gradcheck atol(double value) {
    this.atol = value;
    return this;
  }

  public Gradcheck rtol(double value) {
    this.rtol = value;
    return this;
  }

  /** With false, {@link #check} returns false instead of throwing {@link GradcheckException}. */
  public Gradcheck raiseException(boolean value) {
    this.raiseException = value;
    return this;
  }

  public Gradcheck checkUndefinedGrad(boolean value) {
    this.checkUndefinedGrad = value;
    return this;
  }

  public double eps() {
    return eps;
  }

  public double atol() {
    return atol;
  }

  public double rtol() {
    return rtol;
  }

  /** Whether a failing {@link #check} throws (the default) rather than returning false. */
  public boolean raisesException() {
    return raiseException;
  }

  /** Runs the check; returns true when it passes. */
  public boolean check(TensorFunction f, Tensor... inputs) {
    try {
      checkJacobians(f, inputs);
      if (checkUndefinedGrad) {
        checkUndefined(f, inputs);
      }
      return true;
    } catch (GradcheckException e) {
      if (raiseException || e.raisedRegardless()) {
        throw e;
      }
      return false;
    }
  }

  private void checkJacobians(TensorFunction f, Tensor[] inputs) {
    boolean anyInput = false;
    for (Tensor in : inputs) {
      anyInput |= in.requiresGrad();
    }
    if (!anyInput) {
      throw new IllegalArgumentException("gradcheck expects at least one input tensor to require gradient,"
          + " but none of them have requiresGrad=true");
    }
    Tensor[] outputs = f.apply(inputs);
    boolean anyOutput = false;
    for (Tensor out : outputs) {
      anyOutput |= out.requiresGrad();
    }
    for (int i = 0; i < inputs.length; i++) {
      if (!inputs[i].requiresGrad()) {
        continue;
      }
      for (int o = 0; o < outputs.length; o++) {
        if (!anyOutput) {
          // PyTorch's check for functions without differentiable outputs: nothing may depend on the input
          requireZero(i, o, NumericalJacobian.of(f, inputs, i, o, eps, outputs));
        }
        if (!outputs[o].requiresGrad()) {
          continue;
        }
        double[][] numerical = NumericalJacobian.of(f, inputs, i, o, eps, outputs);
        double[][] analytical = analyticalJacobian(f, inputs, i, o, outputs[o].shape());
        compare(i, o, numerical, analytical);
        if (!Arrays.deepEquals(analytical, analyticalJacobian(f, inputs, i, o, outputs[o].shape()))) {
          throw new GradcheckException("Backward is not reentrant, i.e., running backward with same input and"
              + " grad_output multiple times gives different values, although analytical gradient matches"
              + " numerical gradient (output " + o + ", input " + i + "). The tolerance for nondeterminism"
              + " was 0.0.");
        }
      }
    }
  }

  private static void requireZero(int i, int o, double[][] numerical) {
    for (int j = 0; j < numerical.length; j++) {
      for (int k = 0; k < numerical[j].length; k++) {
        if (numerical[j][k] != 0.0) {
          throw new GradcheckException(String.format(Locale.ROOT, "Numerical gradient for function expected"
              + " to be zero: output %d has no gradient but depends on input %d (input element %d, output"
              + " element %d: numerical %.10g)", o, i, j, k, numerical[j][k]));
        }
      }
    }
  }

  /** One backward per element of output o; {@code shape} is its shape in the first call of the check. */
  private double[][] analyticalJacobian(TensorFunction f, Tensor[] inputs, int i, int o, int[] shape) {
    int outN = Shapes.numel(shape);
    double[][] jac = new double[inputs[i].numel()][outN];
    for (int k = 0; k < outN; k++) {
      Tensor[] fresh = f.apply(inputs);
      if (fresh.length <= o || !Arrays.equals(fresh[o].shape(), shape)) {
        throw GradcheckException.always("Expected `func` to return outputs with the same shape when called again"
            + " with the same inputs, but got: shapes " + Shapes.format(shape) + " and "
            + (fresh.length <= o ? "no output " + o : Shapes.format(fresh[o].shape())) + ".");
      }
      Tensor oneHot = Tensor.zeros(fresh[o].shape());
      oneHot.buffer()[k] = 1.0;
      Tensor[] saved = saveAndClearGrads(inputs);
      Engine.backward(new Tensor[] {fresh[o]}, new Tensor[] {oneHot}, false);
      Tensor g = inputs[i].grad();
      restoreGrads(inputs, saved);
      for (int j = 0; j < jac.length; j++) {
        jac[j][k] = g == null ? 0.0 : g.buffer()[j];
      }
    }
    return jac;
  }

  private void compare(int i, int o, double[][] numerical, double[][] analytical) {
    for (int j = 0; j < numerical.length; j++) {
      for (int k = 0; k < numerical[j].length; k++) {
        double n = numerical[j][k];
        double a = analytical[j][k];
        if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
          throw new GradcheckException(String.format(Locale.ROOT,
              "Jacobian mismatch for output %d with respect to input %d,%n"
                  + "at input element %d and output element %d:%n"
                  + "numerical: %.10g%nanalytical: %.10g%n(eps %g, atol %g, rtol %g)",
              o, i, j, k, n, a, eps, atol, rtol));
        }
      }
    }
  }

  /** Backward with every output gradient undefined must give no gradient or zeros. */
  private void checkUndefined(TensorFunction f, Tensor[] inputs) {
    Tensor[] outputs = f.apply(inputs);
    int differentiable = 0;
    for (Tensor out : outputs) {
      differentiable += out.requiresGrad() && !out.isLeaf() ? 1 : 0;
    }
    if (differentiable == 0) {
      return;
    }
    Tensor[] roots = new Tensor[differentiable];
    int r = 0;
    for (Tensor out : outputs) {
      if (out.requiresGrad() && !out.isLeaf()) {
        roots[r++] = out;
      }
    }
    Tensor[] saved = saveAndClearGrads(inputs);
    try {
      Engine.backward(roots, new Tensor[roots.length], false);
      for (int i = 0; i < inputs.length; i++) {
        Tensor g = inputs[i].grad();
        if (g == null) {
          continue;
        }
        for (double v : g.buffer()) {
          if (v != 0.0) {
            throw new GradcheckException("Expected backward function to handle undefined output grads."
                + " Please look at \"Notes about undefined output gradients\" in the docs of"
                + " Context.setMaterializeGrads: input " + i + " got a non-zero gradient when every"
                + " output gradient was undefined");
          }
        }
      }
    } catch (RuntimeException e) {
      if (e instanceof GradcheckException) {
        throw e;
      }
      throw new GradcheckException("Backward failed when every output gradient was undefined"
          + " (Context.setMaterializeGrads(false) needs backward to accept null): " + e);
    } finally {
      restoreGrads(inputs, saved);
    }
  }

  private static Tensor[] saveAndClearGrads(Tensor[] inputs) {
    Tensor[] saved = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      saved[i] = inputs[i].grad();
      inputs[i].setGrad(null);
    }
    return saved;
  }

  private static void restoreGrads(Tensor[] inputs, Tensor[] saved) {
    for (int i = 0; i < inputs.length; i++) {
      inputs[i].setGrad(saved[i]);
    }
  }
}
