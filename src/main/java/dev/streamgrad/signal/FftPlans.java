package dev.streamgrad.signal;

import java.util.concurrent.ConcurrentHashMap;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Shared JTransforms plans and per-thread scratch memory, so that a kernel called once per record
 * builds its twiddle tables once per length and does not allocate its working buffers every time.
 *
 * <p>A {@link DoubleFFT_1D} only reads its tables during a transform, so one instance per length is
 * shared by every thread.
 */
final class FftPlans {
  private static final ConcurrentHashMap<Integer, DoubleFFT_1D> PLANS = new ConcurrentHashMap<>();
  /**
   * Scratch arrays above this many doubles (8 MiB) are not kept between calls, so that a thread
   * keeps at most a few tens of MiB however large a transform it once ran (a 1024x1024 transform
   * still reuses its buffers).
   */
  private static final int MAX_CACHED = 1 << 20;
  private static final int SLOTS = 4;
  private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[SLOTS][]);
  private static final int ROW_SLOTS = 7;
  private static final ThreadLocal<double[][][]> ROWS = ThreadLocal.withInitial(() -> new double[ROW_SLOTS][][]);
  private static final int REF_SLOTS = 2;
  private static final ThreadLocal<double[][][]> REFS = ThreadLocal.withInitial(() -> new double[REF_SLOTS][][]);

  private FftPlans() {}

  /** The cached plan for transforms of length {@code n}. */
  static DoubleFFT_1D plan(int n) {
    FftThreads.ensureApplied();
    DoubleFFT_1D plan = PLANS.get(n);
    return plan != null ? plan : PLANS.computeIfAbsent(n, DoubleFFT_1D::new);
  }

  /**
   * A scratch array of at least {@code length} doubles for this thread, in slot {@code slot} (the
   * callers keep the slots apart). Its contents are undefined.
   */
  static double[] scratch(int slot, int length) {
    double[][] slots = SCRATCH.get();
    double[] a = slots[slot];
    if (a == null || a.length < length) {
      a = new double[length];
      if (length <= MAX_CACHED) {
        slots[slot] = a;
      }
    }
    return a;
  }

  /**
   * Scratch rows for this thread in slot {@code slot} (the callers keep the slots apart): at least
   * {@code n} arrays of at least {@code length} doubles each, all of the same length, contents
   * undefined. The callers may permute the row references. Kept between calls under the same
   * {@link #MAX_CACHED} bound on the total size as {@link #scratch}.
   */
  static double[][] rows(int slot, int n, int length) {
    double[][][] slots = ROWS.get();
    double[][] a = slots[slot];
    if (a == null || a.length < n || a[0].length < length) {
      int count = n;
      int cols = Math.max(1, length);
      // grow to cover both the old and the new shape, so that alternating shapes do not reallocate
      if (a != null && (long) Math.max(count, a.length) * Math.max(cols, a[0].length) <= MAX_CACHED) {
        count = Math.max(count, a.length);
        cols = Math.max(cols, a[0].length);
      }
      a = new double[count][cols];
      if ((long) count * cols <= MAX_CACHED) {
        slots[slot] = a;
      }
    }
    return a;
  }

  /**
   * An array of at least {@code n} row references for this thread in slot {@code slot}, for callers
   * that arrange existing rows without copying them; its contents are undefined.
   */
  static double[][] refs(int slot, int n) {
    double[][][] slots = REFS.get();
    double[][] a = slots[slot];
    if (a == null || a.length < n) {
      a = new double[n][];
      slots[slot] = a;
    }
    return a;
  }

  /** The smallest {@code 2^a 3^b 5^c >= n}: lengths JTransforms transforms fastest (scipy's next_fast_len). */
  static int fastSize(int n) {
    if (n <= 6) {
      return Math.max(n, 1);
    }
    long best = Long.highestOneBit(n - 1L) << 1;
    for (long p5 = 1; p5 < best; p5 *= 5) {
      for (long p35 = p5; p35 < best; p35 *= 3) {
        long v = p35;
        while (v < n) {
          v <<= 1;
        }
        if (v < best) {
          best = v;
        }
      }
    }
    return (int) best;
  }
}
