package dev.streamgrad.records;

import dev.streamgrad.avro.LabeledTensorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's contract tests for {@link LabeledTensorRecordSerializer} (copies, reuse, sequences,
 * serialized copies, snapshot write/read and restore, null records, concurrent duplicates) on
 * random valid records and on every adversarial one of {@link WireRecords}.
 */
class LabeledTensorRecordSerializerTest extends SerializerTestBase<LabeledTensorRecord> {
  @Override
  protected TypeSerializer<LabeledTensorRecord> createSerializer() {
    return LabeledTensorRecordSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<LabeledTensorRecord> getTypeClass() {
    return LabeledTensorRecord.class;
  }

  @Override
  protected LabeledTensorRecord[] getTestData() {
    Random rng = new Random(11);
    List<LabeledTensorRecord> all = new ArrayList<>(WireRecords.validLabeled(rng));
    all.addAll(WireRecords.adversarialLabeled(rng));
    return all.toArray(new LabeledTensorRecord[0]);
  }
}
