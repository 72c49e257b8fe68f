package dev.streamgrad.autograd;

import java.util.Locale;

/**
 * Formats tensors the way {@code torch.Tensor.__repr__} does with its default print options: four
 * decimals (or {@code 1.} style when every value is an integer, scientific notation when the
 * magnitudes span more than three decades), right-aligned columns, and a summary with three edge
 * items per dimension above 1000 elements.
 */
final class TensorFormat {
  private static final int THRESHOLD = 1000;
  private static final int EDGE_ITEMS = 3;

  private TensorFormat() {}

  static String format(double[] data, int[] shape, String suffix) {
    boolean summarize = data.length > THRESHOLD;
    String style = chooseStyle(data);
    int width = 0;
    for (double v : data) {
      width = Math.max(width, formatValue(v, style).length());
    }
    StringBuilder out = new StringBuilder("tensor(");
    appendDim(out, data, shape, 0, 0, width, style, summarize, "tensor(".length());
    return out.append(suffix).append(')').toString();
  }

  private static String chooseStyle(double[] data) {
    boolean integers = true;
    double maxAbs = 0;
    double minAbs = Double.POSITIVE_INFINITY;
    for (double v : data) {
      if (!Double.isFinite(v)) {
        continue;
      }
      if (v != Math.rint(v)) {
        integers = false;
      }
      double a = Math.abs(v);
      if (a != 0) {
        maxAbs = Math.max(maxAbs, a);
        minAbs = Math.min(minAbs, a);
      }
    }
    if (integers && maxAbs < 1e8) {
      return "int";
    }
    if (maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4)) {
      return "sci";
    }
    return "fixed";
  }

  private static String formatValue(double v, String style) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    switch (style) {
      case "int":
        return String.format(Locale.ROOT, "%.0f.", v);
      case "sci":
        return String.format(Locale.ROOT, "%.4e", v).replace("e+0", "e+").replace("e-0", "e-");
      default:
        return String.format(Locale.ROOT, "%.4f", v);
    }
  }

  private static void appendDim(StringBuilder out, double[] data, int[] shape, int dim, int offset,
      int width, String style, boolean summarize, int indent) {
    if (dim == shape.length) {
      out.append(pad(formatValue(data[offset], style), width));
      return;
    }
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    out.append('[');
    int n = shape[dim];
    boolean cut = summarize && n > 2 * EDGE_ITEMS;
    String separator = dim == shape.length - 1 ? ", "
        : "," + "\n".repeat(shape.length - 1 - dim) + " ".repeat(indent + dim + 1);
    for (int i = 0; i < n; i++) {
      if (cut && i == EDGE_ITEMS) {
        out.append("...").append(separator);
        i = n - EDGE_ITEMS;
      }
      appendDim(out, data, shape, dim + 1, offset + i * stride, width, style, summarize, indent);
      if (i < n - 1) {
        out.append(separator);
      }
    }
    out.append(']');
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
