package dev.streamgrad.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as specs and the command line write them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
public final class Durations {
  private static final Pattern P = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h)");

  private Durations() {}

  /** Parses a positive duration with its unit; throws with the accepted forms otherwise. */
  public static Duration parse(String text) {
    Matcher m = P.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration like 500ms, 10s, 2m or 1h, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration d;
    switch (m.group(2)) {
      case "ms":
        d = Duration.ofMillis(n);
        break;
      case "s":
        d = Duration.ofSeconds(n);
        break;
      case "h":
        d = Duration.ofHours(n);
        break;
      default:
        d = Duration.ofMinutes(n);
    }
    if (d.isZero()) {
      throw new IllegalArgumentException("must be > 0, got '" + text + "'");
    }
    return d;
  }
}
