package dev.streamgrad.signal;

/** How the flag parsers ({@link Mode}, {@link Boundary}, {@link Method}) show a rejected name. */
final class Flags {
  private Flags() {}

  /** {@code 'FULL'}, or {@code None} for null (as Python shows the value scipy was given). */
  static String quote(String flag) {
    return flag == null ? "None" : "'" + flag + "'";
  }
}
