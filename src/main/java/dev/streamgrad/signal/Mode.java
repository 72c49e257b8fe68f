package dev.streamgrad.signal;

/** scipy's output-size modes for correlation and convolution. */
public enum Mode {
  FULL,
  SAME,
  VALID
}
