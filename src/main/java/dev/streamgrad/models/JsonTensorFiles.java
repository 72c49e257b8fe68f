package dev.streamgrad.models;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.records.TensorCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors as JSON, for people and for tools without numpy:
 *
 * <pre>
 * {"metadata": {"model": "m-a", "version": "12"},
 *  "tensors": {"filter": {"dtype": "float64", "shape": [2, 2], "data": [[0.5, -1.25], [2.0, 0.0]]}}}
 * </pre>
 *
 * {@code data} is nested as {@code ndarray.tolist()} nests it (a bare number for shape {@code []}),
 * so {@code numpy.array(t["data"], dtype=t["dtype"]).reshape(t["shape"])} is the array. float64
 * values are written so they parse back to the same double, float32 values so they parse back to
 * the same float; NaN and infinities, which JSON lacks, are the strings {@code "NaN"}, {@code
 * "Infinity"}, {@code "-Infinity"} (numpy converts them). {@code metadata} is strings, as in
 * safetensors. Reading checks that the nesting matches {@code shape} exactly, allocates as values
 * arrive (a shape cannot make it allocate more than the file holds), and ignores other top-level keys.
 */
public final class JsonTensorFiles {
  private static final int MAX_RANK = 64;
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private JsonTensorFiles() {}

  /** Writes {@code file} as one JSON object followed by a newline. */
  public static void write(TensorFile file, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeObjectFieldStart("metadata");
      for (Map.Entry<String, String> m : file.metadata().entrySet()) {
        g.writeStringField(m.getKey(), m.getValue());
      }
      g.writeEndObject();
      g.writeObjectFieldStart("tensors");
      for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
        Tensor t = e.getValue();
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("dtype", t.getDtype() == DType.FLOAT64 ? "float64" : "float32");
        g.writeArrayFieldStart("shape");
        for (int d : t.getShape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeFieldName("data");
        writeValues(g, t.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN), t.getDtype(), t.getShape(), 0);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    out.write('\n');
  }

  private static void writeValues(JsonGenerator g, ByteBuffer data, DType dtype, List<Integer> shape, int axis)
      throws IOException {
    if (axis == shape.size()) {
      double v = dtype == DType.FLOAT64 ? data.getDouble() : data.getFloat();
      if (!Double.isFinite(v)) {
        g.writeString(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
      } else if (dtype == DType.FLOAT64) {
        g.writeNumber(v);
      } else {
        g.writeNumber((float) v);
      }
      return;
    }
    g.writeStartArray();
    for (int k = 0; k < shape.get(axis); k++) {
      writeValues(g, data, dtype, shape, axis + 1);
    }
    g.writeEndArray();
  }

  /** Reads the JSON tensor file {@code path}, at most {@code maxBytes} tensor bytes in all. */
  public static TensorFile read(Path path, long maxBytes) throws TensorFileException {
    try (InputStream in = Files.newInputStream(path); JsonParser p = JSON.createParser(in)) {
      return read(path.toString(), p, maxBytes);
    } catch (TensorFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage()
          : e.getMessage();
      throw new TensorFileException(path + ": not a JSON tensor file: " + why, e);
    }
  }

  private static TensorFile read(String file, JsonParser p, long maxBytes) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new TensorFileException(file + ": not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Tensor> tensors = null;
    long budget = maxBytes;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if ("metadata".equals(field)) {
        if (value != JsonToken.START_OBJECT) {
          throw new TensorFileException(file + ": metadata is not an object of strings");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw new TensorFileException(file + ": metadata '" + key + "' is not a string");
          }
          metadata.put(key, p.getText());
        }
      } else if ("tensors".equals(field)) {
        if (value != JsonToken.START_OBJECT) {
          throw new TensorFileException(file + ": tensors is not an object of tensors by name");
        }
        tensors = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (name.isEmpty()) {
            throw new TensorFileException(file + ": a tensor has an empty name");
          }
          p.nextToken();
          Tensor t = tensor(file + ": tensor '" + name + "'", p, budget);
          budget -= t.getData().remaining();
          tensors.put(name, t);
        }
      } else {
        p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw new TensorFileException(file + ": more JSON after the object");
    }
    if (tensors == null) {
      throw new TensorFileException(file + ": no \"tensors\" object");
    }
    return new TensorFile(tensors, metadata);
  }

  private static Tensor tensor(String what, JsonParser p, long maxBytes) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new TensorFileException(what + " is not an object with dtype, shape and data");
    }
    DType dtype = null;
    List<Integer> shape = null;
    Values values = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "dtype" -> {
          String d = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : String.valueOf(p.currentToken());
          dtype = switch (d) {
            case "float64" -> DType.FLOAT64;
            case "float32" -> DType.FLOAT32;
            default -> throw new TensorFileException(what + ": dtype " + d + " is not float64 or float32");
          };
        }
        case "shape" -> shape = shape(what, p);
        case "data" -> {
          values = new Values(what, maxBytes / 4);
          values.read(p, 0);
        }
        default -> throw new TensorFileException(what + ": unknown field '" + field + "' (dtype, shape, data)");
      }
    }
    if (dtype == null || shape == null || values == null) {
      throw new TensorFileException(what + " lacks " + (dtype == null ? "dtype" : shape == null ? "shape" : "data"));
    }
    return values.tensor(dtype, shape, maxBytes);
  }

  private static List<Integer> shape(String what, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new TensorFileException(what + ": shape is not an array of integers");
    }
    List<Integer> shape = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
          || p.getIntValue() < 0 || shape.size() == MAX_RANK) {
        throw new TensorFileException(what + ": shape has " + p.getText() + " (dimensions are integers from 0 to "
            + Integer.MAX_VALUE + ", at most " + MAX_RANK + " of them)");
      }
      shape.add(p.getIntValue());
    }
    return shape;
  }

  /** A tensor's {@code data}: values in order, and the length of the lists at each depth (all equal). */
  private static final class Values {
    private final String what;
    private final long maxValues;
    private double[] values = new double[16];
    private int count;
    private final List<Integer> lengths = new ArrayList<>();
    private int leafDepth = -1;

    Values(String what, long maxValues) {
      this.what = what;
      this.maxValues = maxValues;
    }

    void read(JsonParser p, int depth) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.START_ARRAY) {
        if (depth >= MAX_RANK) {
          throw new TensorFileException(what + ": data nested more than " + MAX_RANK + " deep");
        }
        if (lengths.size() == depth) {
          lengths.add(-1); // set when the first list at this depth ends
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          read(p, depth + 1);
          n++;
        }
        if (lengths.get(depth) < 0) {
          lengths.set(depth, n);
        } else if (lengths.get(depth) != n) {
          throw new TensorFileException(what + ": data is ragged: a list at depth " + depth + " has " + n
              + " values, an earlier one " + lengths.get(depth));
        }
        return;
      }
      if (leafDepth < 0) {
        leafDepth = depth;
      } else if (leafDepth != depth) {
        throw new TensorFileException(what + ": data has numbers at depths " + leafDepth + " and " + depth);
      }
      double v = switch (t) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
        case VALUE_STRING -> switch (p.getText()) {
          case "NaN" -> Double.NaN;
          case "Infinity" -> Double.POSITIVE_INFINITY;
          case "-Infinity" -> Double.NEGATIVE_INFINITY;
          default -> throw new TensorFileException(what + ": data has the string \"" + p.getText()
              + "\" (numbers, or \"NaN\", \"Infinity\", \"-Infinity\")");
        };
        default -> throw new TensorFileException(what + ": data has " + t + " where a number belongs");
      };
      if (count == values.length) {
        if (count >= maxValues) {
          throw new TensorFileException(what + ": data has more than the " + maxValues + " values this reader holds");
        }
        values = Arrays.copyOf(values, (int) Math.min(Math.min(maxValues, Integer.MAX_VALUE - 8), 2L * count));
      }
      values[count++] = v;
    }

    Tensor tensor(DType dtype, List<Integer> shape, long maxBytes) throws TensorFileException {
      long bytes = TensorFile.byteSize(shape, dtype);
      long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
      if (bytes < 0 || bytes > limit) {
        throw new TensorFileException(what + ": shape " + shape + " of " + dtype + " needs more than the " + limit
            + " bytes this reader holds");
      }
      List<Integer> found = leafDepth < 0 ? lengths : lengths.subList(0, leafDepth);
      boolean empty = bytes == 0 && leafDepth < 0 && found.size() <= shape.size()
          && shape.subList(0, found.size()).equals(found);
      if (!empty && !found.equals(shape)) {
        throw new TensorFileException(what + ": data is nested as shape " + found + " but shape is " + shape);
      }
      int item = TensorCodec.itemSize(dtype);
      ByteBuffer out = ByteBuffer.allocate(count * item).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < count; k++) {
        if (dtype == DType.FLOAT64) {
          out.putDouble(values[k]);
        } else {
          out.putFloat((float) values[k]);
        }
      }
      return Tensor.newBuilder().setShape(List.copyOf(shape)).setDtype(dtype).setData(out.flip()).build();
    }
  }
}
