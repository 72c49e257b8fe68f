package dev.streamgrad.kafka;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Kafka message key of each record type: the model for training examples and snapshots, the
 * stream key for tensors and predictions.
 *
 * <p>Why it matters: Kafka keeps order only within a partition and partitions by key, so keying by
 * model keeps each model's examples in order from producer to trainer, which makes online
 * training reproducible.
 */
public final class RecordKeys {
  private RecordKeys() {}

  /** The key of {@code record}, or null when it has none (a dead letter of an unknown record). */
  public static String keyOf(SpecificRecord record) {
    if (record instanceof LabeledTensorRecord r) {
      return r.getModel();
    } else if (record instanceof TensorRecord r) {
      return r.getKey();
    } else if (record instanceof FilterSnapshot r) {
      return r.getModel();
    } else if (record instanceof Prediction r) {
      return r.getKey();
    } else if (record instanceof DeadLetter r) {
      return r.getKey();
    }
    throw new IllegalArgumentException("no Kafka key defined for " + record.getClass().getName());
  }

  /** The key as UTF-8 bytes, or null. */
  public static byte[] keyBytes(SpecificRecord record) {
    String key = keyOf(record);
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }
}
