package dev.streamgrad.signal;

/** scipy's boundary conditions for {@code correlate2d}/{@code convolve2d} ({@code boundary=} argument). */
public enum Boundary {
  /** Pad the input with {@code fillvalue} (scipy's default, {@code 'fill'}). */
  FILL,
  /** Circular: the input repeats periodically ({@code 'wrap'} or {@code 'circular'}). */
  WRAP,
  /** Mirror with the edge sample repeated: {@code x[-1] = x[0]} ({@code 'symm'} or {@code 'symmetric'}). */
  SYMM;

  /**
   * The boundary scipy's {@code _bvalfromboundary} names: exactly {@code 'fill'} or {@code 'pad'},
   * {@code 'wrap'} or {@code 'circular'}, {@code 'symm'} or {@code 'symmetric'}. {@code 'reflect'},
   * which scipy's table holds but its 2-D convolution refuses, gets scipy's {@code Incorrect boundary
   * value.}; any other name, or null, scipy's list of names. Both are {@link
   * IllegalArgumentException}s with the name at the end.
   */
  public static Boundary of(String flag) {
    if (flag == null) {
      throw unknown(null);
    }
    switch (flag) {
      case "fill":
      case "pad":
        return FILL;
      case "wrap":
      case "circular":
        return WRAP;
      case "symm":
      case "symmetric":
        return SYMM;
      case "reflect":
        throw new IllegalArgumentException("Incorrect boundary value. Got 'reflect' (correlate2d and convolve2d"
            + " support 'fill', 'circular' (or 'wrap'), and 'symmetric' (or 'symm')).");
      default:
        throw unknown(flag);
    }
  }

  private static IllegalArgumentException unknown(String flag) {
    return new IllegalArgumentException("Acceptable boundary flags are 'fill', 'circular' (or 'wrap'), and"
        + " 'symmetric' (or 'symm'). Got " + Flags.quote(flag) + ".");
  }
}
