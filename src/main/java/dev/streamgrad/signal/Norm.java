package dev.streamgrad.signal;

/** numpy's FFT normalisation modes ({@code norm=} argument). */
public enum Norm {
  /** No scaling forward, 1/n inverse (numpy's default). */
  BACKWARD,
  /** 1/sqrt(n) both ways. */
  ORTHO,
  /** 1/n forward, no scaling inverse. */
  FORWARD
}
