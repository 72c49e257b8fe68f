package dev.streamgrad.signal;

import java.util.Locale;

/**
 * Which code transforms a 2-D FFT whose row count is a power of two. {@link #FAST} (the default)
 * uses streamgrad's radix-2 passes that the JIT vectorises across rows ({@code AxisFft},
 * {@code RowFft}): JTransforms alone measured 0.67 to 0.86 times numpy's speed at 256x256 and
 * 1024x1024 on the build machine, this engine 1.2 to 4.4 times (docs/signal-benchmarks.md).
 * {@link #JTRANSFORMS} transforms every size with JTransforms' {@code DoubleFFT_1D} only, as all
 * other sizes always are. Both agree with numpy's fixtures to 1e-10; use JTransforms to rule the
 * hand-written passes out, or to compare.
 *
 * <p>The initial value comes from the system property {@value #PROPERTY} ({@code fast} or
 * {@code jtransforms}, for example {@code -Dstreamgrad.fft.engine=jtransforms}, or
 * {@code env.java.opts} on a Flink cluster); {@link #set} changes it for the whole JVM.
 */
public enum FftEngine {
  /** Vectorised radix-2 passes for power-of-two row counts, JTransforms for the rest. */
  FAST,
  /** JTransforms for every size. */
  JTRANSFORMS;

  /** The system property read when the class is first used. */
  public static final String PROPERTY = "streamgrad.fft.engine";

  private static volatile FftEngine current = fromProperty();

  /** The engine FFTs use now. */
  public static FftEngine current() {
    return current;
  }

  /** Selects the engine for every later FFT in this JVM. */
  public static void set(FftEngine engine) {
    if (engine == null) {
      throw new IllegalArgumentException("FFT engine must not be null");
    }
    current = engine;
  }

  private static FftEngine fromProperty() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      return FAST;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("system property " + PROPERTY + " must be 'fast' or 'jtransforms', got '"
          + value + "'", e);
    }
  }
}
