package dev.streamgrad.job.spec;

import dev.streamgrad.kafka.KafkaSourceSettings;

/**
 * {@code source: {type: kafka, bootstrapServers, topic, groupId, startingOffsets, bounded,
 * properties}}: single-object-encoded Avro records from a Kafka topic, read with
 * {@code read_committed}; undecodable values become dead letters. See docs/cluster.md.
 */
public record KafkaSourceSpec(KafkaSourceSettings settings) implements SourceSpec {
  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public boolean bounded() {
    return settings.bounded();
  }
}
