package dev.streamgrad.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The list-valued accessors of {@link Section} (dims, numbers, strings, matrices): each checks
 * the whole list and names the key, and the element when one element is wrong.
 */
final class SectionLists {
  /** Largest dimension of a shape or kernel in a spec. */
  static final int MAX_DIM = 1 << 16;

  private SectionLists() {}

  static int[] dims(Section s, String key, int n) throws SpecException {
    JsonNode v = s.get(key);
    if (v == null) {
      return null;
    }
    String expected = "expected a list of " + n + " positive integers";
    if (!v.isArray() || v.size() != n) {
      throw s.error(key, expected + ", got " + Section.describe(v));
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      JsonNode e = v.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToLong() || e.asLong() < 1) {
        throw s.error(key, expected + ", got " + v);
      }
      if (e.asLong() > MAX_DIM) {
        throw s.error(key, "each dimension must be at most " + MAX_DIM + ", got " + v);
      }
      out[i] = e.asInt();
    }
    return out;
  }

  static long[] integers(Section s, String key, long min) throws SpecException {
    JsonNode v = s.get(key);
    String expected = "expected a non-empty list of integers >= " + min;
    if (!v.isArray() || v.isEmpty()) {
      throw s.error(key, expected + ", got " + Section.describe(v));
    }
    long[] out = new long[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToLong() || e.asLong() < min) {
        throw s.error(key, expected + ", got " + v + " (element " + i + ")");
      }
      out[i] = e.asLong();
    }
    return out;
  }

  static double[] numbers(Section s, String key, int n, double[] dflt) throws SpecException {
    JsonNode v = s.get(key);
    if (v == null) {
      return dflt.clone();
    }
    if (!v.isArray() || v.size() != n) {
      throw s.error(key, "expected a list of " + n + " numbers, got " + Section.describe(v));
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = finite(s, key, v, v.get(i), "element " + i, "expected a list of " + n + " numbers, got ");
    }
    return out;
  }

  static List<String> strings(Section s, String key, List<String> dflt) throws SpecException {
    JsonNode v = s.get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw s.error(key, "expected a non-empty list of strings, got " + Section.describe(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isValueNode() || e.isNull() || e.asText().isEmpty()) {
        throw s.error(key, "expected a non-empty list of strings, got " + v);
      }
      Section.requireText(s, key, "element " + i, e);
      if (out.contains(e.asText())) {
        throw s.error(key, "'" + e.asText() + "' is listed twice");
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  static double[][] matrix(Section s, String key) throws SpecException {
    JsonNode v = s.get(key);
    if (v == null) {
      return null;
    }
    String expected = "expected a list of equally long lists of numbers, got ";
    if (!v.isArray() || v.isEmpty()) {
      throw s.error(key, expected + Section.describe(v));
    }
    double[][] rows = new double[v.size()][];
    for (int r = 0; r < v.size(); r++) {
      JsonNode row = v.get(r);
      if (!row.isArray() || row.isEmpty() || row.size() != v.get(0).size()) {
        throw s.error(key, expected + v);
      }
      rows[r] = new double[row.size()];
      for (int c = 0; c < row.size(); c++) {
        rows[r][c] = finite(s, key, v, row.get(c), "element [" + r + "][" + c + "]", expected);
      }
    }
    return rows;
  }

  /** A finite number, or an error naming the element when it is NaN or infinite. */
  private static double finite(Section s, String key, JsonNode list, JsonNode e, String which, String expected)
      throws SpecException {
    if (!e.isNumber()) {
      throw s.error(key, expected + list);
    }
    double d = e.asDouble();
    if (!Double.isFinite(d)) {
      throw s.error(key, which + " must be finite, got " + d);
    }
    return d;
  }
}
