package dev.streamgrad.models;

import dev.streamgrad.avro.Tensor;
import dev.streamgrad.records.TensorCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tensor file holds: tensors by name, in order (a state dict), and string metadata (a
 * safetensors header's {@code __metadata__}). Each tensor is the wire {@link Tensor}: shape, dtype
 * and little-endian row-major bytes, exactly what {@code .npy} and safetensors store, so nothing is
 * converted on the way in or out ({@link TensorCodec#decode} turns one into an autograd tensor).
 * A dimension may be 0 (an empty array, which every format allows); a shape {@code []} is a scalar.
 *
 * @param tensors the tensors by name, in order; names are non-empty
 * @param metadata string keys and values (empty when the file has none)
 */
public record TensorFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
  /** Copies both maps (keeping their order) and checks that every tensor's data matches its shape. */
  public TensorFile {
    LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
    tensors.forEach((name, tensor) -> {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a tensor name is empty");
      }
      long expected = byteSize(tensor.getShape(), tensor.getDtype());
      if (tensor.getData().remaining() != expected) {
        throw new IllegalArgumentException("tensor '" + name + "' has " + tensor.getData().remaining()
            + " bytes of data but shape " + tensor.getShape() + " of " + tensor.getDtype() + " needs " + expected);
      }
      t.put(name, tensor);
    });
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    metadata.forEach((k, v) -> m.put(requireText(k, "metadata key"), requireText(v, "metadata value")));
    tensors = Collections.unmodifiableMap(t);
    metadata = Collections.unmodifiableMap(m);
  }

  /** Tensors without metadata. */
  public static TensorFile of(Map<String, Tensor> tensors) {
    return new TensorFile(tensors, Map.of());
  }

  /** {@code prod(shape) * itemsize}; {@code -1} when a dimension is negative or the product overflows. */
  static long byteSize(List<Integer> shape, dev.streamgrad.avro.DType dtype) {
    long n = TensorCodec.itemSize(dtype);
    for (Integer d : shape) {
      if (d == null || d < 0) {
        return -1;
      }
      if (d != 0 && n > Long.MAX_VALUE / d) {
        return -1;
      }
      n *= d;
    }
    return n;
  }

  private static String requireText(String s, String what) {
    if (s == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    return s;
  }
}
