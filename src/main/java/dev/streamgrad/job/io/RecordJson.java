package dev.streamgrad.job.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders Avro records (generic or generated) as one-line JSON for {@code inspect} and the {@code
 * print} sink: a {@code Tensor} shows its shape, dtype and values (decoded little-endian, row-major);
 * timestamps are ISO-8601; other bytes are Base64.
 */
public final class RecordJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String TENSOR = "dev.streamgrad.avro.Tensor";

  private RecordJson() {}

  public static String toJson(GenericRecord record) {
    try {
      return JSON.writeValueAsString(node(record, record.getSchema()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot render record as JSON", e);
    }
  }

  private static JsonNode node(Object value, Schema schema) {
    if (value == null) {
      return F.nullNode();
    }
    switch (schema.getType()) {
      case UNION:
        return node(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
      case RECORD:
        GenericRecord r = (GenericRecord) value;
        if (TENSOR.equals(schema.getFullName())) {
          return tensor(r);
        }
        ObjectNode o = F.objectNode();
        for (Schema.Field f : schema.getFields()) {
          o.set(f.name(), node(r.get(f.pos()), f.schema()));
        }
        return o;
      case ARRAY:
        ArrayNode a = F.arrayNode();
        for (Object e : (Collection<?>) value) {
          a.add(node(e, schema.getElementType()));
        }
        return a;
      case MAP:
        ObjectNode m = F.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          m.set(e.getKey().toString(), node(e.getValue(), schema.getValueType()));
        }
        return m;
      case BYTES:
      case FIXED:
        byte[] bytes = value instanceof ByteBuffer ? toArray((ByteBuffer) value) : ((GenericData.Fixed) value).bytes();
        return F.textNode(Base64.getEncoder().encodeToString(bytes));
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
        return F.textNode(value.toString());
    }
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** A tensor as {@code {shape, dtype, values}}; data not matching its shape is shown raw with the reason. */
  private static JsonNode tensor(GenericRecord t) {
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
      o.put("data", data == null ? null : Base64.getEncoder().encodeToString(toArray(data)));
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
}
