package dev.streamgrad.config;

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
public final class Section {
  private final String file;
  private final String path;
  private final ObjectNode node;

  public Section(String file, String path, ObjectNode node) {
    this.file = file;
    this.path = path;
    this.node = node;
  }

  public String file() {
    return file;
  }

  public String path() {
    return path;
  }

  /** The full key path of {@code key} in this section. */
  public String key(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public SpecException error(String key, String problem) {
    return new SpecException(file, key == null ? path : key(key), problem);
  }

  /** Fails on the first key that is not one of {@code allowed}, listing the allowed ones. */
  public Section allow(String... allowed) throws SpecException {
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
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  /** The value at {@code key}, or null when absent or YAML null. */
  public JsonNode get(String key) {
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

  public static String describe(JsonNode v) {
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

  public String string(String key, String dflt) throws SpecException {
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

  public String requiredString(String key) throws SpecException {
    required(key);
    return string(key, null);
  }

  /** One of {@code choices}, case-sensitive as written in specs. */
  public String choice(String key, String dflt, String... choices) throws SpecException {
    String s = dflt == null ? requiredString(key) : string(key, dflt);
    if (!Arrays.asList(choices).contains(s)) {
      throw error(key, "must be one of " + String.join(", ", choices) + ", got '" + s + "'");
    }
    return s;
  }

  public double number(String key, double dflt) throws SpecException {
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

  public double positive(String key, double dflt) throws SpecException {
    double d = number(key, dflt);
    if (!(d > 0)) {
      throw error(key, "must be > 0, got " + format(d));
    }
    return d;
  }

  public double nonNegative(String key, double dflt) throws SpecException {
    double d = number(key, dflt);
    if (d < 0) {
      throw error(key, "must be >= 0, got " + format(d));
    }
    return d;
  }

  public static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  public long integer(String key, long dflt, long min) throws SpecException {
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

  public int intValue(String key, int dflt, int min) throws SpecException {
    long l = integer(key, dflt, min);
    if (l > Integer.MAX_VALUE) {
      throw error(key, "must be <= " + Integer.MAX_VALUE + ", got " + l);
    }
    return (int) l;
  }

  public boolean bool(String key, boolean dflt) throws SpecException {
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
  public Duration duration(String key, Duration dflt) throws SpecException {
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
  public int[] dims(String key, int n) throws SpecException {
    return SectionLists.dims(this, key, n);
  }

  /** A list of exactly {@code n} finite numbers. */
  public double[] numbers(String key, int n, double[] dflt) throws SpecException {
    return SectionLists.numbers(this, key, n, dflt);
  }

  /** A non-empty list of distinct, non-empty strings. */
  public List<String> strings(String key, List<String> dflt) throws SpecException {
    return SectionLists.strings(this, key, dflt);
  }

  /** A matrix as a list of equally long lists of finite numbers, e.g. a filter; null when absent. */
  public double[][] matrix(String key) throws SpecException {
    return SectionLists.matrix(this, key);
  }

  /** The nested mapping at {@code key}, or null when absent. */
  public Section section(String key) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw error(key, "expected a mapping, got " + describe(v));
    }
    return new Section(file, key(key), (ObjectNode) v);
  }

  public Section requiredSection(String key) throws SpecException {
    required(key);
    return section(key);
  }

  /**
   * The list of mappings at {@code key}, each a section whose path is {@code key[i]} (e.g. the
   * layers of a chain); null when absent.
   */
  public List<Section> sections(String key) throws SpecException {
    JsonNode v = get(key);
    if (v == null) {
      return null;
    }
    if (!v.isArray() || v.isEmpty()) {
      throw error(key, "expected a non-empty list of mappings, got " + describe(v));
    }
    List<Section> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String at = key(key) + "[" + i + "]";
      if (!e.isObject()) {
        throw new SpecException(file, at, "expected a mapping, got " + describe(e));
      }
      out.add(new Section(file, at, (ObjectNode) e));
    }
    return out;
  }
}
