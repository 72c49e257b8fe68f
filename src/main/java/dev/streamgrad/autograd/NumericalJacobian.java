package dev.streamgrad.autograd;

import java.math.BigDecimal;

/**
 * Central differences for {@link Gradcheck}, with PyTorch's check that perturbing an input leaves
 * the outputs' shapes alone ({@code _check_outputs_same_dtype_and_shape} in {@code
 * torch/autograd/gradcheck.py}): a function whose output shape depends on its input values has no
 * Jacobian to compare, and reading one anyway would index past the shorter output.
 */
final class NumericalJacobian {
  private NumericalJacobian() {}

  /**
   * {@code [inputElement][outputElement]} of d output {@code o} / d input {@code i}, computed with
   * {@code inputs[i]} perturbed in place by {@code -eps} and {@code +eps}, element by element, and
   * restored; {@code outputs} are the unperturbed outputs.
   *
   * @throws GradcheckException with PyTorch's message when a perturbation changes the number of
   *     outputs or output {@code o}'s shape
   */
  static double[][] of(Gradcheck.TensorFunction f, Tensor[] inputs, int i, int o, double eps, Tensor[] outputs) {
    double[] x = inputs[i].buffer();
    double[][] jac = new double[x.length][];
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      for (int j = 0; j < x.length; j++) {
        double orig = x[j];
        Tensor[] minus;
        Tensor[] plus;
        double[] a;
        double[] b;
        try {
          // the values are copied at once: an output may be a view of the input (reshape)
          x[j] = orig - eps;
          minus = f.apply(inputs);
          a = o < minus.length ? minus[o].toArray() : null;
          x[j] = orig + eps;
          plus = f.apply(inputs);
          b = o < plus.length ? plus[o].toArray() : null;
        } finally {
          x[j] = orig;
        }
        checkSameOutputs(minus, plus, outputs, o, index(j, inputs[i].shape()), eps, i);
        jac[j] = new double[b.length];
        for (int k = 0; k < b.length; k++) {
          jac[j][k] = (b[k] - a[k]) / (2 * eps);
        }
      }
    }
    return jac;
  }

  /**
   * PyTorch's assertion, in PyTorch's words, on the outputs at {@code -eps} and {@code +eps}; then
   * the same for the perturbed against the unperturbed outputs (where PyTorch fails later, copying
   * a column of the wrong length into the Jacobian).
   */
  private static void checkSameOutputs(Tensor[] minus, Tensor[] plus, Tensor[] outputs, int o, String index,
      double eps, int input) {
    String when = "when inputs are perturbed on index " + index + " by " + pythonRepr(eps) + ", but got: ";
    String which = " (output " + o + ", input " + input + ")";
    if (minus.length != plus.length || plus.length != outputs.length) {
      throw GradcheckException.always("Expected `func` to return the same number of outputs " + when
          + (minus.length != plus.length ? minus.length + " and " + plus.length
              : outputs.length + " (unperturbed) and " + plus.length) + " outputs.");
    }
    int[] a = minus[o].shape();
    int[] b = plus[o].shape();
    if (!java.util.Arrays.equals(a, b)) {
      throw GradcheckException.always("Expected `func` to return outputs with the same shape " + when + "shapes "
          + Shapes.format(a) + " and " + Shapes.format(b) + "." + which);
    }
    int[] u = outputs[o].shape();
    if (!java.util.Arrays.equals(u, b)) {
      throw GradcheckException.always("Expected `func` to return outputs with the same shape " + when + "shapes "
          + Shapes.format(u) + " (unperturbed) and " + Shapes.format(b) + " (perturbed)." + which);
    }
  }

  /** Element {@code flat}'s index as the Python tuple PyTorch iterates with: {@code (1, 0)}, {@code (3,)}. */
  static String index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    int rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
    }
    StringBuilder sb = new StringBuilder("(");
    for (int d = 0; d < idx.length; d++) {
      sb.append(d > 0 ? ", " : "").append(idx[d]);
    }
    return sb.append(idx.length == 1 ? ",)" : ")").toString();
  }

  /** {@code v} as Python's {@code repr} prints a float: {@code 1e-06}, {@code 0.0001}, {@code 0.5}. */
  static String pythonRepr(double v) {
    if (v == 0 || !Double.isFinite(v)) {
      return v == 0 ? (1 / v < 0 ? "-0.0" : "0.0") : Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent < -4 || exponent >= 16) {
      String digits = d.unscaledValue().abs().toString();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
          + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
    }
    String plain = d.toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }
}
