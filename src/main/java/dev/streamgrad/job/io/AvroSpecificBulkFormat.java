package dev.streamgrad.job.io;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.formats.avro.AbstractAvroBulkFormat;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads Avro container files into generated (specific) records for Flink's {@code FileSource}.
 * flink-avro 2.3 offers this only as the abstract base class (the public {@code AvroInputFormat}
 * needs generic types); the base class reads {@link GenericData.Record}s, which are copied into the
 * specific classes. Files are not split, so each file is read in order by one reader: this is what
 * keeps a model's records in order when they sit in one file.
 */
public final class AvroSpecificBulkFormat<T extends SpecificRecordBase>
    extends AbstractAvroBulkFormat<GenericRecord, T, FileSourceSplit> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  public AvroSpecificBulkFormat(Class<T> type) {
    super(SpecificData.get().getSchema(type));
    this.type = type;
  }

  @Override
  protected GenericRecord createReusedAvroRecord() {
    return new GenericData.Record(readerSchema);
  }

  @Override
  protected Function<GenericRecord, T> createConverter() {
    SpecificData data = SpecificData.getForClass(type);
    Schema schema = readerSchema;
    return r -> type.cast(toSpecific(schema, r, data));
  }

  /**
   * Copies a generic value into the generated classes. {@code SpecificData.deepCopy} is not enough:
   * it leaves {@code timestamp-millis} longs as {@code Long} where the classes hold {@code Instant}.
   */
  static Object toSpecific(Schema s, Object v, SpecificData data) {
    if (v == null) {
      return null;
    }
    switch (s.getType()) {
      case RECORD:
        GenericRecord in = (GenericRecord) v;
        IndexedRecord out = (IndexedRecord) data.newRecord(null, s);
        for (Schema.Field f : s.getFields()) {
          out.put(f.pos(), toSpecific(f.schema(), in.get(f.pos()), data));
        }
        return out;
      case UNION:
        return toSpecific(s.getTypes().get(GenericData.get().resolveUnion(s, v)), v, data);
      case ARRAY:
        List<Object> list = new ArrayList<>(((Collection<?>) v).size());
        for (Object e : (Collection<?>) v) {
          list.add(toSpecific(s.getElementType(), e, data));
        }
        return list;
      case ENUM:
        return data.createEnum(v.toString(), s);
      case STRING:
        return v.toString();
      case BYTES:
        ByteBuffer b = (ByteBuffer) v;
        ByteBuffer copy = ByteBuffer.allocate(b.remaining());
        copy.put(b.duplicate()).flip();
        return copy;
      case LONG:
        return s.getLogicalType() instanceof LogicalTypes.TimestampMillis && v instanceof Long
            ? Instant.ofEpochMilli((Long) v) : v;
      default:
        return data.deepCopy(s, v);
    }
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroTypeInfo<>(type);
  }
}
