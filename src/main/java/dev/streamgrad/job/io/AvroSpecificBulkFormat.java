package dev.streamgrad.job.io;

import java.util.function.Function;
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
 * needs generic types); the base class reads {@link GenericData.Record}s, which are deep-copied into
 * the specific class. Files are not split, so each file is read in order by one reader: this is what
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
    return r -> type.cast(data.deepCopy(readerSchema, r));
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
