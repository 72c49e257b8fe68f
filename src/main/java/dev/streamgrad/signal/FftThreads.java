package dev.streamgrad.signal;

import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * How many threads the FFT kernels use. One by default: inside a Flink operator every task slot
 * already has its own thread, and JTransforms' global pool (sized to the processor count) would
 * make the slots fight over cores.
 *
 * <p>The initial value comes from the system property {@value #PROPERTY} (for example
 * {@code -Dstreamgrad.fft.threads=4}, or {@code env.java.opts} on a Flink cluster) and can be changed
 * at run time with {@link #set(int)}. With more than one thread, {@link Fft} and the FFT path of
 * {@link Correlation} split the row and column transforms of a large 2-D transform (at least
 * {@value #PARALLEL_MIN_POINTS} points) over JTransforms' pool, and JTransforms itself may split long
 * 1-D transforms. The setting is global to the JVM, as JTransforms' own is (this class sets
 * {@link ConcurrencyUtils#setNumberOfThreads(int)}).
 */
public final class FftThreads {
  /** The system property read once, when the first FFT runs. */
  public static final String PROPERTY = "streamgrad.fft.threads";

  /** Smallest 2-D transform, in points, that is split over threads when more than one is allowed. */
  public static final int PARALLEL_MIN_POINTS = 1 << 16;

  private static volatile int threads = init();

  private FftThreads() {}

  private static int init() {
    String value = System.getProperty(PROPERTY);
    int n = 1;
    if (value != null && !value.isBlank()) {
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "system property " + PROPERTY + " must be a positive integer, got '" + value + "'", e);
      }
    }
    apply(n);
    return n;
  }

  /** The number of threads FFTs may use (1 unless configured). */
  public static int get() {
    return threads;
  }

  /** Sets the number of threads FFTs may use, for this whole JVM; {@code n} must be at least 1. */
  public static void set(int n) {
    apply(n);
    threads = n;
  }

  /** Makes sure the configured value has been handed to JTransforms before its first use. */
  static void ensureApplied() {
    if (ConcurrencyUtils.getNumberOfThreads() != threads) {
      ConcurrencyUtils.setNumberOfThreads(threads);
    }
  }

  private static void apply(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("FFT threads must be at least 1, got " + n);
    }
    ConcurrencyUtils.setNumberOfThreads(n);
  }
}
