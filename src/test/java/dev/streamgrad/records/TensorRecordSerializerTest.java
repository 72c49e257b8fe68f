package dev.streamgrad.records;

import dev.streamgrad.avro.TensorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's contract tests for {@link TensorRecordSerializer} (copies, reuse, sequences,
 * serialized copies, snapshot write/read and restore, null records, concurrent duplicates) on
 * random valid records and on every adversarial one of {@link WireRecords}.
 */
class TensorRecordSerializerTest extends SerializerTestBase<TensorRecord> {
  @Override
  protected TypeSerializer<TensorRecord> createSerializer() {
    return TensorRecordSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<TensorRecord> getTypeClass() {
    return TensorRecord.class;
  }

  @Override
  protected TensorRecord[] getTestData() {
    Random rng = new Random(11);
    List<TensorRecord> all = new ArrayList<>(WireRecords.validUnlabeled(rng));
    all.addAll(WireRecords.adversarialUnlabeled(rng));
    return all.toArray(new TensorRecord[0]);
  }
}
