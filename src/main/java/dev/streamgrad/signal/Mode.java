package dev.streamgrad.signal;

/** scipy's output-size modes for correlation and convolution ({@code mode=} argument). */
public enum Mode {
  /** Every position where the inputs overlap at all: {@code (H1 + H2 - 1) x (W1 + W2 - 1)}. */
  FULL,
  /** The size of {@code in1}, centred on the full output as scipy does. */
  SAME,
  /** Only positions where one input lies entirely inside the other: {@code |H1 - H2| + 1} rows. */
  VALID;

  /**
   * The mode scipy's {@code _valfrommode} names: exactly {@code 'full'}, {@code 'same'} or {@code
   * 'valid'}, lowercase as in scipy (which rejects {@code 'FULL'} too); any other name, or null, is
   * an {@link IllegalArgumentException} with scipy's text followed by the name.
   */
  public static Mode of(String flag) {
    if (flag == null) {
      throw unknown(null);
    }
    switch (flag) {
      case "full":
        return FULL;
      case "same":
        return SAME;
      case "valid":
        return VALID;
      default:
        throw unknown(flag);
    }
  }

  private static IllegalArgumentException unknown(String flag) {
    return new IllegalArgumentException("Acceptable mode flags are 'valid', 'same', or 'full'. Got "
        + Flags.quote(flag) + ".");
  }
}
