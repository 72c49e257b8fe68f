package dev.streamgrad.config;

import java.util.List;

/**
 * One setting of a configurable component, declared once with its key, meaning, default and check,
 * as Flink ML declares its {@code Param}s: the component reads it from its section with
 * {@link #read}, and its documentation and the allowed keys derive from the declarations.
 *
 * @param <T> the value's type
 */
public final class Param<T> {
  /** Reads a value from a section (null when the key is absent). */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Section s, String key) throws SpecException;
  }

  /** The problem with a value (e.g. {@code must be > 0}), or null when it is acceptable. */
  @FunctionalInterface
  public interface Check<T> {
    String problem(T value);
  }

  private final String key;
  private final String description;
  private final T defaultValue;
  private final Reader<T> reader;
  private final Check<T> check;

  private Param(String key, String description, T defaultValue, Reader<T> reader, Check<T> check) {
    this.key = key;
    this.description = description;
    this.defaultValue = defaultValue;
    this.reader = reader;
    this.check = check;
  }

  /** A number; {@code defaultValue} null makes it required. */
  public static Param<Double> number(String key, String description, Double defaultValue, Check<Double> check) {
    return new Param<>(key, description, defaultValue, (s, k) -> s.has(k) ? s.number(k, 0) : null, check);
  }

  /** An integer of at least {@code min}; {@code defaultValue} null makes it required. */
  public static Param<Long> integer(String key, String description, Long defaultValue, long min) {
    return new Param<>(key, description, defaultValue, (s, k) -> s.has(k) ? s.integer(k, 0, min) : null, v -> null);
  }

  /** A boolean. */
  public static Param<Boolean> bool(String key, String description, boolean defaultValue) {
    return new Param<>(key, description, defaultValue, (s, k) -> s.has(k) ? s.bool(k, false) : null, v -> null);
  }

  /** A list of exactly {@code n} finite numbers. */
  public static Param<double[]> numbers(String key, int n, String description, double[] defaultValue,
      Check<double[]> check) {
    return new Param<>(key, description, defaultValue, (s, k) -> s.has(k) ? s.numbers(k, n, null) : null, check);
  }

  /** An {@code int} of at least {@code min}; {@code defaultValue} null makes it required. */
  public static Param<Integer> intValue(String key, String description, Integer defaultValue, int min) {
    return new Param<>(key, description, defaultValue, (s, k) -> s.has(k) ? s.intValue(k, 0, min) : null, v -> null);
  }

  /** A non-empty list of integers, each at least {@code min}, in the order written; required. */
  public static Param<long[]> integers(String key, String description, long min) {
    return new Param<>(key, description, null, (s, k) -> s.has(k) ? SectionLists.integers(s, k, min) : null,
        v -> null);
  }

  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  /** The default, or null when the setting is required. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The value in {@code s}, or the default; fails naming the key when missing or failing the check. */
  public T read(Section s) throws SpecException {
    T v = reader.read(s, key);
    if (v == null) {
      if (defaultValue == null) {
        throw s.error(key, "missing (" + description + ")");
      }
      return defaultValue;
    }
    String problem = check.problem(v);
    if (problem != null) {
      throw s.error(key, problem);
    }
    return v;
  }

  /** The keys of {@code params}, for {@link Section#allow}. */
  public static String[] keys(String first, List<Param<?>> params) {
    String[] out = new String[params.size() + 1];
    out[0] = first;
    for (int i = 0; i < params.size(); i++) {
      out[i + 1] = params.get(i).key;
    }
    return out;
  }

  /** A check: greater than {@code bound}. */
  public static Check<Double> above(double bound) {
    return v -> v > bound ? null : "must be > " + Section.format(bound) + ", got " + Section.format(v);
  }

  /** A check: at least {@code bound}. */
  public static Check<Double> atLeast(double bound) {
    return v -> v >= bound ? null : "must be >= " + Section.format(bound) + ", got " + Section.format(v);
  }

  /** No check beyond being a finite number. */
  public static <T> Check<T> any() {
    return v -> null;
  }

  @Override
  public String toString() {
    return key + (defaultValue == null ? " (required)" : "");
  }
}
