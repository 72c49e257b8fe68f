package dev.streamgrad.console;

/**
 * Makes untrusted text safe to print on a terminal line. Escapes C0 and C1 control characters,
 * DEL, and the Unicode characters that move or reorder text (line and paragraph separators,
 * bidirectional marks, embeddings, overrides and isolates) as {@code \n}, {@code \r}, {@code \t}
 * or {@code \}{@code uXXXX}, and cuts long values with a marker that gives their length. Stateless.
 */
public final class ConsoleText {
  /** How many characters of a name (a model, a key) a progress line or summary shows. */
  public static final int NAME_CHARS = 64;
  /** How many characters of a message (an error's root cause) a one-line report shows. */
  public static final int MESSAGE_CHARS = 400;

  private ConsoleText() {}

  /** Whether {@code c} must not reach a terminal as it is. */
  public static boolean isUnsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
        || (c >= '\u200e' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }

  /** {@code s} with every unsafe character escaped, whatever its length; {@code "null"} for null. */
  public static String escape(String s) {
    return escape(s, Integer.MAX_VALUE);
  }

  /**
   * {@code s} escaped and cut to at most {@code max} characters (an escape sequence or a surrogate
   * pair is never split), followed by {@code ...[N chars]} with the original length when cut.
   */
  public static String escape(String s, int max) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String piece = !isUnsafe(c) ? null : switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        default -> String.format("\\u%04x", (int) c);
      };
      int len = piece != null ? piece.length() : Character.isHighSurrogate(c) && i + 1 < s.length() ? 2 : 1;
      if (b.length() + len > max) {
        return b.append("...[").append(s.length()).append(" chars]").toString();
      }
      if (piece != null) {
        b.append(piece);
      } else {
        b.append(s, i, i + len);
        i += len - 1;
      }
    }
    return b.toString();
  }

  /** A name from a record, for a progress line or summary: escaped and cut to {@link #NAME_CHARS}. */
  public static String name(String s) {
    return escape(s, NAME_CHARS);
  }

  /**
   * A message on one line: each line break, with the blanks around it, becomes one space; other
   * unsafe characters are escaped; the result is cut to {@code max} characters.
   */
  public static String oneLine(String s, int max) {
    if (s == null) {
      return "null";
    }
    return escape(s.strip().replaceAll("[ \\t]*(\\r\\n|[\\n\\r\\u2028\\u2029])\\s*", " "), max);
  }
}
