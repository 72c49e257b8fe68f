package dev.streamgrad.signal;

/** numpy's FFT normalisation modes ({@code norm=} argument). */
public enum Norm {
  /** No scaling forward, 1/n inverse (numpy's default). */
  BACKWARD,
  /** 1/sqrt(n) both ways. */
  ORTHO,
  /** 1/n forward, no scaling inverse. */
  FORWARD;

  /**
   * The normalisation {@code numpy.fft} names: {@code null} (numpy's {@code None}) or exactly {@code
   * "backward"}, {@code "ortho"} or {@code "forward"}; any other name is an {@link
   * IllegalArgumentException} with numpy's text (numpy 1.24: {@code Invalid norm value ORTHO; should
   * be "backward","ortho" or "forward".}).
   */
  public static Norm of(String name) {
    if (name == null) {
      return BACKWARD;
    }
    switch (name) {
      case "backward":
        return BACKWARD;
      case "ortho":
        return ORTHO;
      case "forward":
        return FORWARD;
      default:
        throw new IllegalArgumentException(
            "Invalid norm value " + name + "; should be \"backward\",\"ortho\" or \"forward\".");
    }
  }

  /** The factor the forward transform of {@code n} points applies. */
  double forwardScale(double n) {
    switch (this) {
      case ORTHO:
        return 1 / Math.sqrt(n);
      case FORWARD:
        return 1 / n;
      default:
        return 1;
    }
  }

  /** The factor the inverse transform of {@code n} points applies. */
  double inverseScale(double n) {
    switch (this) {
      case ORTHO:
        return 1 / Math.sqrt(n);
      case BACKWARD:
        return 1 / n;
      default:
        return 1;
    }
  }
}
