package dev.streamgrad.job.io;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamgrad.console.ConsoleText;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders Avro records (generic or generated) as one-line JSON for {@code inspect} and the {@code
 * print} sink: a {@code Tensor} shows its shape, dtype and values (decoded little-endian, row-major);
 * timestamps are ISO-8601; other bytes are Base64. The output is safe for a terminal: besides the
 * control characters JSON escapes anyway, DEL, C1 controls and the Unicode characters that move or
 * reorder text are written as {@code \}{@code uXXXX} (still the same JSON string), and unless asked
 * for in full, strings and Base64 bytes longer than {@value #MAX_CHARS} characters are cut to that
 * many, followed by {@code ...[N chars]} with their full length.
 */
public final class RecordJson {
  /** Longest string or Base64 value printed whole unless {@code full} is asked for. */
  public static final int MAX_CHARS = 256;
  private static final ObjectWriter JSON = new ObjectMapper().writer().with(new TerminalSafeEscapes());
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String TENSOR = "dev.streamgrad.avro.Tensor";

  private RecordJson() {}

  /** {@code record} as one line of JSON, long strings and bytes cut. */
  public static String toJson(GenericRecord record) {
    return toJson(record, false, null);
  }

  /**
   * {@code record} as one line of JSON; {@code full}: every value whole; {@code run} (nullable): the
   * id of the run that wrote it, as a first key {@code "@run"} (no Avro field name starts with @).
   */
  public static String toJson(GenericRecord record, boolean full, String run) {
    JsonNode n = node(record, record.getSchema(), full);
    if (run != null && n instanceof ObjectNode) {
      ObjectNode withRun = F.objectNode().put("@run", run);
      withRun.setAll((ObjectNode) n);
      n = withRun;
    }
    try {
      return JSON.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render record as JSON", e);
    }
  }

  private static String text(String s, boolean full) {
    return full || s.length() <= MAX_CHARS ? s : s.substring(0, Character.isHighSurrogate(s.charAt(MAX_CHARS - 1))
        ? MAX_CHARS - 1 : MAX_CHARS) + "...[" + s.length() + " chars]";
  }

  private static JsonNode node(Object value, Schema schema, boolean full) {
    if (value == null) {
      return F.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        return node(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), full);
      case RECORD:
        GenericRecord r = (GenericRecord) value;
        if (TENSOR.equals(schema.getFullName())) {
          return tensor(r, full);
        }
        ObjectNode o = F.objectNode();
        for (Schema.Field f : schema.getFields()) {
          o.set(f.name(), node(r.get(f.pos()), f.schema(), full));
        }
        return o;
      case ARRAY:
        ArrayNode a = F.arrayNode();
        for (Object e : (Collection<?>) value) {
          a.add(node(e, schema.getElementType(), full));
        }
        return a;
      case MAP:
        ObjectNode m = F.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          m.set(text(e.getKey().toString(), full), node(e.getValue(), schema.getValueType(), full));
        }
        return m;
      case BYTES:
      case FIXED:
        byte[] bytes = value instanceof ByteBuffer ? toArray((ByteBuffer) value) : ((GenericData.Fixed) value).bytes();
        return F.textNode(text(Base64.getEncoder().encodeToString(bytes), full));
      case LONG:
        LogicalType lt = schema.getLogicalType();
        if (value instanceof Instant) {
          return F.textNode(value.toString());
        }
        if (lt instanceof LogicalTypes.TimestampMillis) {
          return F.textNode(Instant.ofEpochMilli((Long) value).toString());
        }
        return F.numberNode((Long) value);
      case INT:
        return F.numberNode((Integer) value);
      case DOUBLE:
        return F.numberNode((Double) value);
      case FLOAT:
        return F.numberNode((Float) value);
      case BOOLEAN:
        return F.booleanNode((Boolean) value);
      default:
        return F.textNode(text(value.toString(), full));
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** A tensor as {@code {shape, dtype, values}}; data not matching its shape is shown raw with the reason. */
  private static JsonNode tensor(GenericRecord t, boolean full) {
    ObjectNode o = F.objectNode();
    ArrayNode shape = o.putArray("shape");
    long n = 1;
    for (Object d : (Collection<?>) t.get("shape")) {
      shape.add((Integer) d);
      n *= (Integer) d;
    }
    String dtype = String.valueOf(t.get("dtype"));
    o.put("dtype", dtype);
    ByteBuffer data = (ByteBuffer) t.get("data");
    int item = "FLOAT32".equals(dtype) ? 4 : 8;
    if (data == null || data.remaining() != n * item) {
      o.put("invalid", "data has " + (data == null ? 0 : data.remaining()) + " bytes, shape and dtype need "
          + n * item);
      o.put("data", data == null ? null : text(Base64.getEncoder().encodeToString(toArray(data)), full));
      return o;
    }
    ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ArrayNode values = o.putArray("values");
    for (long k = 0; k < n; k++) {
      double v = item == 4 ? le.getFloat() : le.getDouble();
      if (Double.isFinite(v)) {
        values.add(item == 4 ? F.numberNode((float) v) : F.numberNode(v));
      } else {
        // JSON has no NaN or Infinity: show them as strings, as Python's json module would not
        values.add(Double.toString(v));
      }
    }
    return o;
  }

  /** JSON's own escapes, plus DEL, C1 controls and the characters that move or reorder text. */
  private static final class TerminalSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final int[] ASCII = standardAsciiEscapesForJSON();

    static {
      ASCII[0x7f] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch <= Character.MAX_VALUE && ConsoleText.isUnsafe((char) ch)
          ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch)) : null;
    }
  }
}
