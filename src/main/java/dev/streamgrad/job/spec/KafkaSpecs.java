package dev.streamgrad.job.spec;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.kafka.KafkaSinkSettings;
import dev.streamgrad.kafka.KafkaSourceSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code kafka} source and sink sections (called from {@link IoSpecs}). */
final class KafkaSpecs {
  private KafkaSpecs() {}

  static KafkaSourceSpec source(Section s) throws SpecException {
    s.allow("type", "bootstrapServers", "topic", "groupId", "startingOffsets", "bounded", "properties");
    String topic = s.requiredString("topic");
    String offsets = s.string("startingOffsets", "earliest");
    try {
      return new KafkaSourceSpec(new KafkaSourceSettings(s.requiredString("bootstrapServers"), topic,
          s.string("groupId", "streamgrad-" + topic), offsets, s.bool("bounded", false), properties(s)));
    } catch (IllegalArgumentException e) {
      throw s.error("startingOffsets", e.getMessage());
    }
  }

  static KafkaSinkSpec sink(Section s) throws SpecException {
    s.allow("type", "bootstrapServers", "topic", "delivery", "transactionalIdPrefix", "transactionTimeout",
        "properties");
    String topic = s.requiredString("topic");
    String delivery = s.choice("delivery", "exactly-once", "exactly-once", "at-least-once", "none");
    Duration timeout = s.duration("transactionTimeout",
        Duration.ofMillis(KafkaSinkSettings.DEFAULT_TRANSACTION_TIMEOUT_MS));
    if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
      throw s.error("transactionTimeout", "must be above 0 and at most 15m (the broker's default"
          + " transaction.max.timeout.ms), got " + timeout);
    }
    return new KafkaSinkSpec(new KafkaSinkSettings(s.requiredString("bootstrapServers"), topic, delivery,
        s.string("transactionalIdPrefix", "streamgrad-" + topic), timeout.toMillis(), properties(s)));
  }

  /** {@code properties}: extra Kafka client properties, a mapping of strings. */
  private static Map<String, String> properties(Section s) throws SpecException {
    Section p = s.section("properties");
    Map<String, String> out = new LinkedHashMap<>();
    if (p != null) {
      for (String key : p.keys()) {
        out.put(key, p.string(key, null));
      }
    }
    return out;
  }
}
