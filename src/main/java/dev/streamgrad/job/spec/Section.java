package dev.streamgrad.job.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * One mapping of a job spec with its key path: typed, checked accessors whose errors name the file
 * and the full key path. YAML {@code null} counts as absent.
 */
final class Section {
  private final String file;
  private final String path;
  private final ObjectNode node;

  Section(String file, String path, ObjectNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  String file() {
    return file;
  }

  String path() {
    return path;
  }

  /** The full key path of {@code key} in this section. */
  String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  SpecException error(String key, String problem) {
    return new SpecException(file, key == null ? path : key(key), problem);
  }

  /** Fails on the first key that is not one of {@code allowed}, listing the allowed ones. */
  Section allow(String... allowed) throws SpecException {
    List<String> names = Arrays.asList(allowed);
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!names.contains(k)) {
        throw error(k, "unknown key (expected one of: " + String.join(", ", names) + ")");
      }
    }
    return this;
  }

  /** The keys of this mapping, in spec order (for free-form mappings such as Kafka properties). */
  List<String> keys() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** The value at {@code key}, or null when absent or YAML null. */
  JsonNode get(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  private JsonNode required(String key) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      throw error(key, "missing (required)");
    }
    return v;
  }

  static String describe(JsonNode v) {
    if (v.isTextual()) {
      return "string '" + v.asText() + "'";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    return v.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + (v.isNumber() ? v.asText() : v.toString());
  }

  String string(String key, String dflt) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isValueNode()) {
      throw error(key, "expected a string, got " + describe(v));
    }
    requireText(this, key, null, v);
    return v.asText();
  }

  /**
   * Fails when a scalar meant as text is one YAML types otherwise and whose text would not be what
   * was written: a boolean ({@code yes}, {@code off}, ...) or a NaN or infinite float ({@code .nan}).
   */
  static void requireText(Section s, String key, String element, JsonNode v) throws SpecException {
    boolean nonFinite = v.isNumber() && !Double.isFinite(v.asDouble());
    if (v.isBoolean() || nonFinite) {
      throw s.error(key, (element == null ? "" : element + ": ") + "expected a string, got " + describe(v)
          + " (YAML reads " + (nonFinite ? ".nan and .inf as numbers" : "yes, no, on, off, true and false as"
          + " booleans") + "; quote it to mean the text)");
    }
  }

  String requiredString(String key) throws SpecException {
    required(key);
    return string(key, null);
  }

  /** One of {@code choices}, case-sensitive as written in specs. */
  String choice(String key, String dflt, String... choices) throws SpecException {
    String s = dflt == null ? requiredString(key) : string(key, dflt);
    if (!Arrays.asList(choices).contains(s)) {
      throw error(key, "must be one of " + String.join(", ", choices) + ", got '" + s + "'");
    }
    return s;
  }

  double number(String key, double dflt) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw error(key, "expected a number, got " + describe(v));
    }
    double d = v.asDouble();
    if (!Double.isFinite(d)) {
      throw error(key, "must be finite, got " + d);
    }
    return d;
  }

  double positive(String key, double dflt) throws SpecException {
    double d = number(key, dflt);
    if (!(d > 0)) {
      throw error(key, "must be > 0, got " + format(d));
    }
    return d;
  }

  double nonNegative(String key, double dflt) throws SpecException {
    double d = number(key, dflt);
    if (d < 0) {
      throw error(key, "must be >= 0, got " + format(d));
    }
    return d;
  }

  static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  long integer(String key, long dflt, long min) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw error(key, "expected an integer, got " + describe(v));
    }
    long l = v.asLong();
    if (l < min) {
      throw error(key, "must be >= " + min + ", got " + l);
    }
    return l;
  }

  int intValue(String key, int dflt, int min) throws SpecException {
    long l = integer(key, dflt, min);
    if (l > Integer.MAX_VALUE) {
      throw error(key, "must be <= " + Integer.MAX_VALUE + ", got " + l);
    }
    return (int) l;
  }

  boolean bool(String key, boolean dflt) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, got " + describe(v));
    }
    return v.asBoolean();
  }

  /** A duration: an integer of milliseconds or a string like {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
  Duration duration(String key, Duration dflt) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return dflt;
    }
    if (v.isIntegralNumber()) {
      if (v.asLong() < 1) {
        throw error(key, "must be > 0, got " + v.asLong());
      }
      return Duration.ofMillis(v.asLong());
    }
    try {
      if (v.isTextual()) {
        return Durations.parse(v.asText());
      }
    } catch (IllegalArgumentException e) {
      // fall through: the message below names the value the way the other checks do
    }
    throw error(key, "expected a duration like 500ms, 10s, 2m or 1h, got " + describe(v));
  }

  /** A list of positive integers of exactly {@code n} elements, e.g. a kernel {@code [3, 3]}; null when absent. */
  int[] dims(String key, int n) throws SpecException {
    return SectionLists.dims(this, key, n);
  }

  /** A list of exactly {@code n} finite numbers. */
  double[] numbers(String key, int n, double[] dflt) throws SpecException {
    return SectionLists.numbers(this, key, n, dflt);
  }

  /** A non-empty list of distinct, non-empty strings. */
  List<String> strings(String key, List<String> dflt) throws SpecException {
    return SectionLists.strings(this, key, dflt);
  }

  /** A matrix as a list of equally long lists of finite numbers, e.g. a filter; null when absent. */
  double[][] matrix(String key) throws SpecException {
    return SectionLists.matrix(this, key);
  }

  /** The nested mapping at {@code key}, or null when absent. */
  Section section(String key) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw error(key, "expected a mapping, got " + describe(v));
    }
    return new Section(file, key(key), (ObjectNode) v);
  }

  Section requiredSection(String key) throws SpecException {
    required(key);
    return section(key);
  }
}
