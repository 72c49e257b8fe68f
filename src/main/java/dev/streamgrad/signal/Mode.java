package dev.streamgrad.signal;

import java.util.Locale;

/** scipy's output-size modes for correlation and convolution ({@code mode=} argument). */
public enum Mode {
  /** Every position where the inputs overlap at all: {@code (H1 + H2 - 1) x (W1 + W2 - 1)}. */
  FULL,
  /** The size of {@code in1}, centred on the full output as scipy does. */
  SAME,
  /** Only positions where one input lies entirely inside the other: {@code |H1 - H2| + 1} rows. */
  VALID;

  /** Parses scipy's flag names, with scipy's error text for an unknown one. */
  public static Mode of(String flag) {
    switch (flag.toLowerCase(Locale.ROOT)) {
      case "full":
        return FULL;
      case "same":
        return SAME;
      case "valid":
        return VALID;
      default:
        throw new IllegalArgumentException(
            "Acceptable mode flags are 'valid', 'same', or 'full'; got '" + flag + "'");
    }
  }
}
