package dev.streamgrad.records;

import dev.streamgrad.avro.DType;
import java.io.Serializable;
import java.util.Locale;

/**
 * The largest tensor a job can hold, from the heap it runs with and its parallelism: the one place
 * the record-size limit is defined. The spec check rejects a generator {@code shape} beyond it
 * before a job starts, and {@link TensorCodec} rejects a record beyond it (a dead letter) before
 * allocating its arrays, so that a large record never ends a job with {@code OutOfMemoryError}.
 *
 * <p>The arithmetic, for a tensor of {@code n} elements (a labeled record holds an input and a
 * target of about {@code n} elements each; {@code itemsize} is 4 for FLOAT32, 8 for FLOAT64):
 *
 * <ul>
 *   <li>the Avro byte buffers of input and target: {@code 2 * itemsize * n} bytes;
 *   <li>Flink's serialized copy of the record on its way between operators, which can be twice its
 *       size while the serializer's buffer grows: {@code 2 * 2 * itemsize * n};
 *   <li>the decoded float64 arrays of input and target: {@code 2 * 8 * n};
 *   <li>the autograd intermediates of one training step (the layer's output, the loss's difference,
 *       the output gradient): {@code 3 * 8 * n}.
 * </ul>
 *
 * That is {@link #bytesPerElement}: 88 bytes per element for FLOAT64 records, 64 for FLOAT32, for
 * each record in flight. A job holds up to {@code 2 * parallelism} records at once (one in each
 * parallel subtask of the source, one in each subtask of the operator it feeds, which a {@code
 * keyBy} separates), and a quarter of the heap, at least 128 MB, stays for Flink itself and for the
 * garbage collector's headroom (large arrays take contiguous regions of the heap). So
 *
 * <pre>
 * maxElements = (heap - max(heap / 4, 128 MB)) / (bytesPerElement * 2 * parallelism)
 * </pre>
 *
 * capped so that one tensor's bytes fit a Java array. With the CLI's 2 GB heap and parallelism 2:
 * 4,575,604 FLOAT64 elements (a 2139x2139 image), 6,291,456 FLOAT32 elements (2508x2508).
 * Measured on this build (train-conv2d with a one-reader generator, 2 GB heap, parallelism 2):
 * 3300x3300 FLOAT64 records (10.9 M elements) trained, 3500x3500 (12.3 M) ran out of memory; at
 * parallelism 1, 3700x3700 (13.7 M) trained and 4097x4097 (16.8 M) did not. The limit keeps a
 * margin below that, since the collector's fragmentation and the moment the copies meet vary from
 * run to run, and a source with parallel readers holds more records at once.
 */
public final class RecordLimits implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Heap kept for Flink and the collector: at least this much, or a quarter of the heap. */
  static final long MIN_RESERVE_BYTES = 128L << 20;
  /** Largest Java array, in elements (a few header words below {@code Integer.MAX_VALUE}). */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * One record in this JVM: what {@link TensorCodec#decode(dev.streamgrad.avro.Tensor)} and the
   * {@link RecordValidator} methods without limits apply (operators pass their job's limits).
   */
  static final RecordLimits ONE_RECORD = forThisJvm(1);

  private final long heapBytes;
  private final int parallelism;

  private RecordLimits(long heapBytes, int parallelism) {
    if (heapBytes <= 0 || parallelism < 1) {
      throw new IllegalArgumentException("heap must be > 0 and parallelism >= 1, got " + heapBytes + " and "
          + parallelism);
    }
    this.heapBytes = heapBytes;
    this.parallelism = parallelism;
  }

  /** The limits of a job of {@code parallelism} running in a heap of {@code heapBytes}. */
  public static RecordLimits of(long heapBytes, int parallelism) {
    return new RecordLimits(heapBytes, parallelism);
  }

  /** The limits of a job of {@code parallelism} in this JVM ({@code -Xmx}, the embedded cluster's heap). */
  public static RecordLimits forThisJvm(int parallelism) {
    return of(Runtime.getRuntime().maxMemory(), parallelism);
  }

  /** Bytes of heap one element of a record of {@code dtype} takes while the record is in flight. */
  public static int bytesPerElement(DType dtype) {
    int item = TensorCodec.itemSize(dtype);
    int avro = 2 * item;
    int serialized = 2 * 2 * item;
    int decoded = 2 * 8;
    int trainingStep = 3 * 8;
    return avro + serialized + decoded + trainingStep;
  }

  public long heapBytes() {
    return heapBytes;
  }

  public int parallelism() {
    return parallelism;
  }

  /** How many records a job with these limits holds at once: one per source and operator subtask. */
  public long recordsInFlight() {
    return 2L * parallelism;
  }

  /** The largest element count of one tensor of {@code dtype} a job with these limits holds. */
  public long maxElements(DType dtype) {
    long usable = heapBytes - Math.max(heapBytes / 4, MIN_RESERVE_BYTES);
    long perRecord = (long) bytesPerElement(dtype) * recordsInFlight();
    long byHeap = Math.max(0, usable) / perRecord;
    return Math.min(byHeap, MAX_ARRAY / TensorCodec.itemSize(dtype));
  }

  /**
   * Fails when a tensor of {@code elements} elements of {@code dtype} is beyond {@link #maxElements};
   * the reason names both figures and where they come from.
   */
  public void check(long elements, DType dtype) throws InvalidRecordException {
    if (elements > maxElements(dtype)) {
      String count = elements == Long.MAX_VALUE ? "over " + String.format(Locale.ROOT, "%,d", Long.MAX_VALUE)
          : String.format(Locale.ROOT, "%,d", elements);
      throw new InvalidRecordException(count + " elements, more than the " + describe(dtype));
    }
  }

  /** E.g. {@code 6,100,805 FLOAT64 elements per tensor a job of parallelism 2 holds in a 2.0 GB heap}. */
  public String describe(DType dtype) {
    String heap = heapBytes < 1L << 30 ? (heapBytes >> 20) + " MB"
        : String.format(Locale.ROOT, "%.1f GB", heapBytes / (double) (1L << 30));
    return String.format(Locale.ROOT, "%,d %s elements per tensor a job of parallelism %d holds in a %s heap",
        maxElements(dtype), dtype, parallelism, heap);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordLimits && ((RecordLimits) o).heapBytes == heapBytes
        && ((RecordLimits) o).parallelism == parallelism;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(heapBytes) * 31 + parallelism;
  }

  @Override
  public String toString() {
    return "RecordLimits(heap " + heapBytes + " bytes, parallelism " + parallelism + ")";
  }
}
