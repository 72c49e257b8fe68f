package dev.streamgrad.signal;

import java.util.Locale;

/** numpy's FFT normalisation modes ({@code norm=} argument). */
public enum Norm {
  /** No scaling forward, 1/n inverse (numpy's default). */
  BACKWARD,
  /** 1/sqrt(n) both ways. */
  ORTHO,
  /** 1/n forward, no scaling inverse. */
  FORWARD;

  /** Parses numpy's names ({@code null} means backward), with numpy's error text for an unknown one. */
  public static Norm of(String name) {
    if (name == null) {
      return BACKWARD;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "backward":
        return BACKWARD;
      case "ortho":
        return ORTHO;
      case "forward":
        return FORWARD;
      default:
        throw new IllegalArgumentException(
            "Invalid norm value " + name + "; should be \"backward\", \"ortho\" or \"forward\".");
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
