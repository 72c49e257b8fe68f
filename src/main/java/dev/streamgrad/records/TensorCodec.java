package dev.streamgrad.records;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Converts between the wire {@link dev.streamgrad.avro.Tensor} and the autograd {@link Tensor}.
 *
 * <p>Layout: {@code data} holds {@code prod(shape)} values, little-endian, row-major (C order), of
 * {@code FLOAT32} (4 bytes each) or {@code FLOAT64} (8 bytes each). Computation is in double
 * precision: FLOAT32 values widen exactly, and {@link #encode} narrows back with round-to-nearest,
 * as numpy's {@code astype(float32)}. A shape {@code []} is a scalar with one value.
 */
public final class TensorCodec {
  private static final VarHandle LONGS_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private TensorCodec() {}

  /** Bytes per element of {@code dtype}. */
  public static int itemSize(DType dtype) {
    return dtype == DType.FLOAT32 ? 4 : 8;
  }

  /**
   * {@link #decode(dev.streamgrad.avro.Tensor, RecordLimits)} with the limits of one record in this
   * JVM ({@code RecordLimits.forThisJvm(1)}): for tensors that are not part of a job's stream, such
   * as a snapshot's filter. Operators pass their job's limits.
   */
  public static Tensor decode(dev.streamgrad.avro.Tensor t) throws InvalidRecordException {
    return decode(t, RecordLimits.ONE_RECORD);
  }

  /**
   * Decodes and validates {@code t}: every dimension positive, at most {@code limits.maxElements}
   * elements (checked before anything is allocated), data length equal to {@code prod(shape) *
   * itemsize}, every value finite.
   *
   * @throws InvalidRecordException naming the defect (the shapes and lengths, the limit, or the index
   *     and value of the first non-finite element)
   */
  public static Tensor decode(dev.streamgrad.avro.Tensor t, RecordLimits limits) throws InvalidRecordException {
    return decode(t, limits, null);
  }

  /**
   * {@link #decode(dev.streamgrad.avro.Tensor, RecordLimits)} into {@code reuse} when it has exactly
   * the tensor's element count: for an operator that decodes a record, uses the tensor and drops it
   * before the next record, so that a stream does not allocate (and the cache does not miss on) two
   * fresh arrays per record. The returned tensor wraps {@code reuse}: the caller must not keep it.
   */
  public static Tensor decode(dev.streamgrad.avro.Tensor t, RecordLimits limits, double[] reuse)
      throws InvalidRecordException {
    if (t == null) {
      throw new InvalidRecordException("tensor is missing (null)");
    }
    DType dtype = t.getDtype();
    if (dtype == null) {
      throw new InvalidRecordException("tensor dtype is missing (null)");
    }
    int[] shape = shape(t.getShape());
    long elements = elements(shape);
    try {
      limits.check(elements, dtype);
    } catch (InvalidRecordException e) {
      throw new InvalidRecordException("tensor shape " + Shapes.format(shape) + " has " + e.getMessage());
    }
    ByteBuffer data = t.getData();
    if (data == null) {
      throw new InvalidRecordException("tensor data is missing (null)");
    }
    int n = (int) elements; // within the limits, which keep every tensor inside one Java array
    int item = itemSize(dtype);
    long expected = (long) n * item;
    if (data.remaining() != expected) {
      throw new InvalidRecordException("tensor data has " + data.remaining() + " bytes but shape "
          + Shapes.format(shape) + " of " + dtype + " needs " + expected + " (" + n + " x " + item + ")");
    }
    double[] values = reuse != null && reuse.length == n ? reuse : new double[n];
    boolean finite = data.hasArray()
        ? decodeArray(data.array(), data.arrayOffset() + data.position(), dtype, values)
        : decodeBuffer(data.duplicate().order(ByteOrder.LITTLE_ENDIAN), dtype, values);
    if (!finite) {
      for (int k = 0; k < n; k++) {
        if (!Double.isFinite(values[k])) {
          throw new InvalidRecordException("tensor value " + values[k] + " at flat index " + k + " (index "
              + index(k, shape) + ") is not finite");
        }
      }
    }
    return Tensor.wrap(values, shape);
  }

  /**
   * Decodes little-endian values from {@code bytes} at {@code offset} into {@code values} in one
   * pass, with no intermediate array (in a streaming job every array is freshly allocated, cold
   * memory, so each extra pass costs cache misses), testing every value for finiteness without a
   * branch per value: a value is NaN or infinite exactly when its exponent bits are all ones, and
   * adding one to an all-ones exponent carries into the sign bit.
   *
   * @return whether every value is finite
   */
  private static boolean decodeArray(byte[] bytes, int offset, DType dtype, double[] values) {
    if (dtype == DType.FLOAT64) {
      long carry = 0;
      for (int k = 0; k < values.length; k++) {
        long bits = (long) LONGS_LE.get(bytes, offset + 8 * k);
        carry |= (bits & 0x7FF0_0000_0000_0000L) + 0x0010_0000_0000_0000L;
        values[k] = Double.longBitsToDouble(bits);
      }
      return carry >= 0;
    }
    int carry = 0;
    for (int k = 0; k < values.length; k++) {
      int bits = (int) INTS_LE.get(bytes, offset + 4 * k);
      carry |= (bits & 0x7F80_0000) + 0x0080_0000;
      values[k] = Float.intBitsToFloat(bits);
    }
    return carry >= 0;
  }

  /** {@link #decodeArray} for a buffer without an accessible array (a direct or read-only buffer). */
  private static boolean decodeBuffer(ByteBuffer le, DType dtype, double[] values) {
    boolean finite = true;
    for (int k = 0; k < values.length; k++) {
      double v = dtype == DType.FLOAT64 ? le.getDouble(le.position() + 8 * k) : le.getFloat(le.position() + 4 * k);
      values[k] = v;
      finite &= Double.isFinite(v);
    }
    return finite;
  }

  /** Encodes {@code t}'s values as {@code dtype} (FLOAT32 rounds to nearest), little-endian row-major. */
  public static dev.streamgrad.avro.Tensor encode(Tensor t, DType dtype) {
    return encode(t, dtype, null);
  }

  /**
   * {@link #encode(Tensor, DType)} into {@code reuse} when it has exactly the encoded size (else into
   * a new array): the returned tensor's data wraps it, so it is valid only until {@code reuse} is
   * written again. For a producer whose records are serialised before it makes the next one.
   */
  public static dev.streamgrad.avro.Tensor encode(Tensor t, DType dtype, byte[] reuse) {
    double[] v = t.buffer();
    int size = v.length * itemSize(dtype);
    byte[] out = reuse != null && reuse.length == size ? reuse : new byte[size];
    // one pass straight into the bytes (no intermediate float[] or typed view)
    if (dtype == DType.FLOAT64) {
      for (int k = 0; k < v.length; k++) {
        LONGS_LE.set(out, 8 * k, Double.doubleToRawLongBits(v[k]));
      }
    } else {
      for (int k = 0; k < v.length; k++) {
        INTS_LE.set(out, 4 * k, Float.floatToRawIntBits((float) v[k]));
      }
    }
    // the all-fields constructor: the builder checks and copies each field again (every field is set here)
    return new dev.streamgrad.avro.Tensor(shapeList(t.shape()), dtype, ByteBuffer.wrap(out));
  }

  /** The shape list of the wire format. */
  public static List<Integer> shapeList(int[] shape) {
    Integer[] boxed = new Integer[shape.length];
    for (int d = 0; d < shape.length; d++) {
      boxed[d] = shape[d];
    }
    return List.of(boxed);
  }

  /** The wire shape as {@code int[]}, checked: no nulls, every dimension positive. */
  static int[] shape(List<Integer> dims) throws InvalidRecordException {
    if (dims == null) {
      throw new InvalidRecordException("tensor shape is missing (null)");
    }
    int[] shape = new int[dims.size()];
    for (int d = 0; d < shape.length; d++) {
      Integer v = dims.get(d);
      if (v == null || v <= 0) {
        throw new InvalidRecordException("tensor shape " + dims + " has a non-positive dimension " + v
            + " at axis " + d);
      }
      shape[d] = v;
    }
    return shape;
  }

  /** The element count of {@code shape}, saturating at {@code Long.MAX_VALUE} (no overflow). */
  public static long elements(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n = n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
    }
    return n;
  }

  private static String index(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    int rest = flat;
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
    }
    return Shapes.format(idx);
  }
}
