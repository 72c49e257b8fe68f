package dev.streamgrad.records;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
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
  /** Largest element count accepted: keeps a forged shape from allocating gigabytes. */
  public static final int MAX_ELEMENTS = 1 << 24;

  private TensorCodec() {}

  /** Bytes per element of {@code dtype}. */
  public static int itemSize(DType dtype) {
    return dtype == DType.FLOAT32 ? 4 : 8;
  }

  /**
   * Decodes and validates {@code t}: every dimension positive, data length equal to
   * {@code prod(shape) * itemsize}, every value finite.
   *
   * @throws InvalidRecordException naming the defect (the shapes and lengths, or the index and value
   *     of the first non-finite element)
   */
  public static Tensor decode(dev.streamgrad.avro.Tensor t) throws InvalidRecordException {
    if (t == null) {
      throw new InvalidRecordException("tensor is missing (null)");
    }
    DType dtype = t.getDtype();
    if (dtype == null) {
      throw new InvalidRecordException("tensor dtype is missing (null)");
    }
    int[] shape = shape(t.getShape());
    ByteBuffer data = t.getData();
    if (data == null) {
      throw new InvalidRecordException("tensor data is missing (null)");
    }
    int n = Shapes.numel(shape);
    int item = itemSize(dtype);
    long expected = (long) n * item;
    if (data.remaining() != expected) {
      throw new InvalidRecordException("tensor data has " + data.remaining() + " bytes but shape "
          + Shapes.format(shape) + " of " + dtype + " needs " + expected + " (" + n + " x " + item + ")");
    }
    ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[n];
    // Bulk views copy the whole payload at once (per-element get() was a third of the trainer's time).
    if (dtype == DType.FLOAT64) {
      le.asDoubleBuffer().get(values);
    } else {
      float[] floats = new float[n];
      le.asFloatBuffer().get(floats);
      for (int k = 0; k < n; k++) {
        values[k] = floats[k];
      }
    }
    for (int k = 0; k < n; k++) {
      if (!Double.isFinite(values[k])) {
        throw new InvalidRecordException("tensor value " + values[k] + " at flat index " + k + " (index "
            + index(k, shape) + ") is not finite");
      }
    }
    return Tensor.wrap(values, shape);
  }

  /** Encodes {@code t}'s values as {@code dtype} (FLOAT32 rounds to nearest), little-endian row-major. */
  public static dev.streamgrad.avro.Tensor encode(Tensor t, DType dtype) {
    double[] v = t.buffer();
    ByteBuffer out = ByteBuffer.allocate(v.length * itemSize(dtype)).order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == DType.FLOAT64) {
      out.asDoubleBuffer().put(v);
    } else {
      float[] floats = new float[v.length];
      for (int k = 0; k < v.length; k++) {
        floats[k] = (float) v[k];
      }
      out.asFloatBuffer().put(floats);
    }
    return dev.streamgrad.avro.Tensor.newBuilder()
        .setShape(shapeList(t.shape()))
        .setDtype(dtype)
        .setData(out)
        .build();
  }

  /** The shape list of the wire format. */
  public static List<Integer> shapeList(int[] shape) {
    Integer[] boxed = new Integer[shape.length];
    for (int d = 0; d < shape.length; d++) {
      boxed[d] = shape[d];
    }
    return List.of(boxed);
  }

  /** The wire shape as {@code int[]}, checked: no nulls, every dimension positive, bounded size. */
  static int[] shape(List<Integer> dims) throws InvalidRecordException {
    if (dims == null) {
      throw new InvalidRecordException("tensor shape is missing (null)");
    }
    int[] shape = new int[dims.size()];
    long n = 1;
    for (int d = 0; d < shape.length; d++) {
      Integer v = dims.get(d);
      if (v == null || v <= 0) {
        throw new InvalidRecordException("tensor shape " + dims + " has a non-positive dimension " + v
            + " at axis " + d);
      }
      shape[d] = v;
      n *= v;
      if (n > MAX_ELEMENTS) {
        throw new InvalidRecordException("tensor shape " + dims + " has more than " + MAX_ELEMENTS + " elements");
      }
    }
    return shape;
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
