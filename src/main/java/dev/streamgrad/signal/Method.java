package dev.streamgrad.signal;

/** How {@link Correlation} computes a result, as the {@code method=} argument of {@code scipy.signal.correlate}. */
public enum Method {
  /** The sum of products, element by element. */
  DIRECT,
  /** Products of real 2-D FFTs (JTransforms), over the boundary-extended input. */
  FFT,
  /**
   * Whichever of the two the cost model in {@link Correlation#chooseMethod} estimates cheaper, when
   * every input value (and a used fill value) is finite; otherwise {@link #DIRECT}, so that a NaN or
   * infinity stays where scipy's {@code correlate2d} and {@code convolve2d} (always direct) leave it,
   * instead of spreading over the whole output through the FFT.
   */
  AUTO;

  /**
   * The method {@code scipy.signal.correlate}/{@code convolve} name: exactly {@code 'auto'}, {@code
   * 'direct'} or {@code 'fft'}; any other name, or null, is an {@link IllegalArgumentException} with
   * scipy's text followed by the name.
   */
  public static Method of(String flag) {
    if (flag == null) {
      throw unknown(null);
    }
    switch (flag) {
      case "direct":
        return DIRECT;
      case "fft":
        return FFT;
      case "auto":
        return AUTO;
      default:
        throw unknown(flag);
    }
  }

  private static IllegalArgumentException unknown(String flag) {
    return new IllegalArgumentException("Acceptable method flags are 'auto', 'direct', or 'fft'. Got "
        + Flags.quote(flag) + ".");
  }
}
