package dev.streamgrad.records;

import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The Flink type of the streams of tensor records: {@link LabeledTensorRecordSerializer} and {@link
 * TensorRecordSerializer} instead of Avro's, for every stream a source or operator produces (see
 * {@link #streamType}). State declares its Avro type explicitly and keeps it.
 */
public final class RecordTypeInfo<T extends SpecificRecord> extends TypeInformation<T> {
  private static final long serialVersionUID = 1L;

  /** Labeled records, the trainer's input. */
  public static final RecordTypeInfo<LabeledTensorRecord> LABELED =
      new RecordTypeInfo<>(LabeledTensorRecord.class, LabeledTensorRecordSerializer.INSTANCE);
  /** Unlabeled records, the forward operators' and the predictor's input. */
  public static final RecordTypeInfo<TensorRecord> UNLABELED =
      new RecordTypeInfo<>(TensorRecord.class, TensorRecordSerializer.INSTANCE);

  private final Class<T> type;
  private final TypeSerializer<T> serializer;

  private RecordTypeInfo(Class<T> type, TypeSerializer<T> serializer) {
    this.type = type;
    this.serializer = serializer;
  }

  /**
   * The type of a stream of {@code type} records: {@link #LABELED} or {@link #UNLABELED} for the
   * tensor records, the type Flink extracts (Avro's) for any other record.
   */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> TypeInformation<T> streamType(Class<T> type) {
    if (type == LabeledTensorRecord.class) {
      return (TypeInformation<T>) LABELED;
    }
    if (type == TensorRecord.class) {
      return (TypeInformation<T>) UNLABELED;
    }
    return TypeInformation.of(type);
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  /** Records are not keys themselves: jobs key by a field ({@code model}, {@code key}). */
  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return serializer.duplicate();
  }

  @Override
  public String toString() {
    return "RecordTypeInfo<" + type.getSimpleName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordTypeInfo && ((RecordTypeInfo<?>) o).canEqual(this) && ((RecordTypeInfo<?>) o).type == type;
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof RecordTypeInfo;
  }
}
