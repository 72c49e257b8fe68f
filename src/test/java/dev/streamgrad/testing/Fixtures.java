package dev.streamgrad.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.autograd.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON fixtures that src/test/python/*.py generate with numpy, scipy and PyTorch. */
public final class Fixtures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  /** The parsed fixture file at {@code fixtures/<path>} on the test classpath. */
  public static JsonNode load(String path) {
    String resource = "/fixtures/" + path;
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + resource + ": run the generator in src/test/python");
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code cases} array of a fixture file as a list. */
  public static List<JsonNode> cases(String path) {
    List<JsonNode> out = new ArrayList<>();
    load(path).get("cases").forEach(out::add);
    return out;
  }

  /** A nested JSON array of numbers (any depth, rectangular) as a tensor; a bare number as 0-D. */
  public static Tensor tensor(JsonNode node) {
    List<Integer> shape = new ArrayList<>();
    JsonNode probe = node;
    while (probe.isArray()) {
      shape.add(probe.size());
      probe = probe.size() == 0 ? null : probe.get(0);
      if (probe == null) {
        break;
      }
    }
    List<Double> values = new ArrayList<>();
    flatten(node, values);
    double[] data = new double[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = values.get(i);
    }
    return Tensor.wrap(data, shape.stream().mapToInt(Integer::intValue).toArray());
  }

  private static void flatten(JsonNode node, List<Double> out) {
    if (node.isArray()) {
      node.forEach(child -> flatten(child, out));
    } else {
      out.add(node.asDouble());
    }
  }
}
