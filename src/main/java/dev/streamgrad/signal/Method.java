package dev.streamgrad.signal;

import java.util.Locale;

/** How {@link Correlation} computes a result, as the {@code method=} argument of {@code scipy.signal.correlate}. */
public enum Method {
  /** The sum of products, element by element. */
  DIRECT,
  /** Products of real 2-D FFTs (JTransforms), over the boundary-extended input. */
  FFT,
  /** Whichever of the two the cost model in {@link Correlation#chooseMethod} estimates cheaper. */
  AUTO;

  /** Parses scipy's flag names, with scipy's error text for an unknown one. */
  public static Method of(String flag) {
    switch (flag.toLowerCase(Locale.ROOT)) {
      case "direct":
        return DIRECT;
      case "fft":
        return FFT;
      case "auto":
        return AUTO;
      default:
        throw new IllegalArgumentException(
            "Acceptable method flags are 'auto', 'direct', or 'fft'; got '" + flag + "'");
    }
  }
}
