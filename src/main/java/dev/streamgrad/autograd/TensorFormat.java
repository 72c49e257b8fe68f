package dev.streamgrad.autograd;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats tensors exactly as {@code torch.Tensor.__repr__} (torch/_tensor_str.py) does with the
 * default print options and float64 as the default dtype: precision 4, threshold 1000, three edge
 * items, line width 80.
 *
 * <p>As in torch, one formatter is chosen from the nonzero finite values (only the edge items when
 * summarizing): integer mode ({@code 1.}) when every such value is an integer, scientific mode when
 * the largest magnitude exceeds 1e8 or 1000 times the smallest (or, for non-integers, the smallest
 * is below 1e-4), otherwise fixed {@code 0.1234}. Values are right-aligned to the widest of those
 * values; rows of the last dimension wrap at the line width. Digits are rounded from the exact
 * binary value, half to even, which is what Python's {@code format} does (Java's {@code %f} rounds
 * the shortest decimal representation half up and would differ on values like 0.12345).
 */
final class TensorFormat {
  private static final int THRESHOLD = 1000;
  private static final int EDGE_ITEMS = 3;
  private static final int LINE_WIDTH = 80;
  private static final int PRECISION = 4;
  private static final String PREFIX = "tensor(";

  private final boolean intMode;
  private final boolean sciMode;
  private final int maxWidth;

  private TensorFormat(double[] values) {
    boolean ints = true;
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    int count = 0;
    for (double v : values) {
      if (Double.isFinite(v) && v != 0) {
        count++;
        ints &= v == Math.ceil(v);
        min = Math.min(min, Math.abs(v));
        max = Math.max(max, Math.abs(v));
      }
    }
    boolean sci = false;
    int width = 1;
    if (count > 0) {
      sci = max / min > 1000.0 || max > 1.0e8 || (!ints && min < 1.0e-4);
      for (double v : values) {
        if (Double.isFinite(v) && v != 0) {
          int len = sci ? sci(v).length() : ints ? fixed(v, 0).length() + 1 : fixed(v, PRECISION).length();
          width = Math.max(width, len);
        }
      }
    }
    this.intMode = ints;
    this.sciMode = sci;
    this.maxWidth = width;
  }

  /** The repr of a tensor with the given row-major values and shape, and torch's suffixes. */
  static String format(double[] data, int[] shape, List<String> suffixes) {
    List<String> all = new ArrayList<>();
    String body;
    if (data.length == 0) {
      if (shape.length != 1) {
        all.add("size=" + sizeTuple(shape));
      }
      body = "[]";
    } else {
      boolean summarize = data.length > THRESHOLD;
      TensorFormat f = new TensorFormat(summarize ? summarized(data, shape, 0, 0) : data);
      body = f.tensorString(data, shape, 0, 0, PREFIX.length(), summarize);
    }
    all.addAll(suffixes);
    return addSuffixes(PREFIX + body, all, PREFIX.length());
  }

  /** The edge items of every dimension, in order, as torch's get_summarized_data. */
  private static double[] summarized(double[] data, int[] shape, int dim, int offset) {
    if (shape.length == 0) {
      return data;
    }
    List<double[]> parts = new ArrayList<>();
    int stride = stride(shape, dim);
    for (int i : edgeIndices(shape[dim])) {
      if (dim == shape.length - 1) {
        parts.add(new double[] {data[offset + i]});
      } else {
        parts.add(summarized(data, shape, dim + 1, offset + i * stride));
      }
    }
    int n = 0;
    for (double[] p : parts) {
      n += p.length;
    }
    double[] out = new double[n];
    int pos = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  private static int[] edgeIndices(int size) {
    if (size <= 2 * EDGE_ITEMS) {
      int[] all = new int[size];
      for (int i = 0; i < size; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] edges = new int[2 * EDGE_ITEMS];
    for (int i = 0; i < EDGE_ITEMS; i++) {
      edges[i] = i;
      edges[EDGE_ITEMS + i] = size - EDGE_ITEMS + i;
    }
    return edges;
  }

  private static int stride(int[] shape, int dim) {
    int stride = 1;
    for (int d = dim + 1; d < shape.length; d++) {
      stride *= shape[d];
    }
    return stride;
  }

  private String tensorString(double[] data, int[] shape, int dim, int offset, int indent, boolean summarize) {
    if (shape.length == 0) {
      return formatValue(data[0]);
    }
    int n = shape[dim];
    boolean cut = summarize && n > 2 * EDGE_ITEMS;
    if (dim == shape.length - 1) {
      return vectorString(data, offset, n, indent, cut);
    }
    int stride = stride(shape, dim);
    List<String> slices = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (cut && i == EDGE_ITEMS) {
        slices.add("...");
        i = n - EDGE_ITEMS;
      }
      slices.add(tensorString(data, shape, dim + 1, offset + i * stride, indent + 1, summarize));
    }
    int rest = shape.length - dim;
    return "[" + String.join("," + "\n".repeat(rest - 1) + " ".repeat(indent + 1), slices) + "]";
  }

  private String vectorString(double[] data, int offset, int n, int indent, boolean cut) {
    int elementLength = maxWidth + 2;
    int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (cut && i == EDGE_ITEMS) {
        items.add(" ...");
        i = n - EDGE_ITEMS;
      }
      items.add(formatValue(data[offset + i]));
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < items.size(); i += perLine) {
      lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
    }
    return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
  }

  private String formatValue(double v) {
    String s;
    if (sciMode) {
      s = Double.isFinite(v) ? sci(v) : nonFinite(v);
    } else if (intMode) {
      s = Double.isFinite(v) ? fixed(v, 0) + "." : nonFinite(v);
    } else {
      s = Double.isFinite(v) ? fixed(v, PRECISION) : nonFinite(v);
    }
    return s.length() >= maxWidth ? s : " ".repeat(maxWidth - s.length()) + s;
  }

  private static String nonFinite(double v) {
    return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  }

  /** Python's {@code '{:.Nf}'.format(v)} for a finite v. */
  static String fixed(double v, int decimals) {
    String digits = new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    return isNegative(v) ? "-" + digits : digits;
  }

  /** Python's {@code '{:.4e}'.format(v)} for a finite v: mantissa, 'e', sign, two or more exponent digits. */
  static String sci(double v) {
    String sign = isNegative(v) ? "-" : "";
    if (v == 0) {
      return sign + "0." + "0".repeat(PRECISION) + "e+00";
    }
    BigDecimal rounded = new BigDecimal(Math.abs(v)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
    String digits = rounded.unscaledValue().toString();
    int exponent = digits.length() - 1 - rounded.scale();
    StringBuilder mantissa = new StringBuilder(digits);
    while (mantissa.length() < PRECISION + 1) {
      mantissa.append('0');
    }
    mantissa.setLength(PRECISION + 1);
    int absExp = Math.abs(exponent);
    return sign + mantissa.charAt(0) + "." + mantissa.substring(1) + "e" + (exponent < 0 ? "-" : "+")
        + (absExp < 10 ? "0" : "") + absExp;
  }

  private static boolean isNegative(double v) {
    return v < 0 || (v == 0 && 1 / v < 0);
  }

  private static String sizeTuple(int[] shape) {
    StringBuilder s = new StringBuilder("(");
    for (int d = 0; d < shape.length; d++) {
      s.append(d > 0 ? ", " : "").append(shape[d]);
    }
    return s.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** torch's _add_suffixes: a suffix goes on its own line when it would pass the line width. */
  private static String addSuffixes(String body, List<String> suffixes, int indent) {
    StringBuilder out = new StringBuilder(body);
    int lastLineLength = body.length() - body.lastIndexOf('\n') + 1;
    for (String suffix : suffixes) {
      if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
        out.append(",\n").append(" ".repeat(indent)).append(suffix);
        lastLineLength = indent + suffix.length();
      } else {
        out.append(", ").append(suffix);
        lastLineLength += suffix.length() + 2;
      }
    }
    return out.append(')').toString();
  }
}
