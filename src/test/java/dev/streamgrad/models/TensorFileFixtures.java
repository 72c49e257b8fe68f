package dev.streamgrad.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The arrays of fixtures/models/arrays.json (gen_tensor_file_fixtures.py), as the Java formats hold them. */
final class TensorFileFixtures {
  static final Path DIR = Path.of("src/test/resources/fixtures/models");
  private static final JsonNode ARRAYS;

  static {
    try {
      ARRAYS = new ObjectMapper().readTree(DIR.resolve("arrays.json").toFile());
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TensorFileFixtures() {}

  /** float64/float32 C-order arrays that every format writes, in the script's order. */
  static Map<String, Tensor> canonical() {
    return arrays("canonical");
  }

  /** Fortran-order and big-endian arrays that only numpy writes, as C-order little-endian tensors. */
  static Map<String, Tensor> numpyOnly() {
    return arrays("numpyOnly");
  }

  static Map<String, String> metadata() {
    Map<String, String> m = new LinkedHashMap<>();
    ARRAYS.get("metadata").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static Map<String, Tensor> arrays(String group) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (JsonNode a : ARRAYS.get(group)) {
      List<Integer> shape = new ArrayList<>();
      a.get("shape").forEach(d -> shape.add(d.asInt()));
      out.put(a.get("name").asText(), Tensor.newBuilder().setShape(shape)
          .setDtype("float64".equals(a.get("dtype").asText()) ? DType.FLOAT64 : DType.FLOAT32)
          .setData(ByteBuffer.wrap(HexFormat.of().parseHex(a.get("hex").asText()))).build());
    }
    return out;
  }

  /** A comparable description of tensors: name, dtype, shape and bytes in hex, in order. */
  static List<String> describe(Map<String, Tensor> tensors) {
    List<String> out = new ArrayList<>();
    tensors.forEach((name, t) -> {
      ByteBuffer d = t.getData().duplicate();
      byte[] b = new byte[d.remaining()];
      d.get(b);
      out.add(name + " " + t.getDtype() + " " + t.getShape() + " " + HexFormat.of().formatHex(b));
    });
    return out;
  }
}
