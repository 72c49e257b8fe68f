package dev.streamgrad.signal;

import java.util.Locale;

/** scipy's boundary conditions for {@code correlate2d}/{@code convolve2d} ({@code boundary=} argument). */
public enum Boundary {
  /** Pad the input with {@code fillvalue} (scipy's default, {@code 'fill'}). */
  FILL,
  /** Circular: the input repeats periodically ({@code 'wrap'} or {@code 'circular'}). */
  WRAP,
  /** Mirror with the edge sample repeated: {@code x[-1] = x[0]} ({@code 'symm'} or {@code 'symmetric'}). */
  SYMM;

  /** Parses scipy's flag names, with scipy's error text for an unknown one. */
  public static Boundary of(String flag) {
    switch (flag.toLowerCase(Locale.ROOT)) {
      case "fill":
      case "pad":
        return FILL;
      case "wrap":
      case "circular":
        return WRAP;
      case "symm":
      case "symmetric":
        return SYMM;
      default:
        throw new IllegalArgumentException(
            "Acceptable boundary flags are 'fill', 'circular' (or 'wrap'), and 'symmetric' (or 'symm'); got '"
                + flag + "'");
    }
  }
}
