package dev.streamgrad.job.spec;

import dev.streamgrad.kafka.KafkaSinkSettings;

/**
 * {@code sink: {type: kafka, bootstrapServers, topic, delivery, transactionalIdPrefix,
 * transactionTimeout, properties}}: single-object-encoded Avro records keyed by model or key,
 * exactly once by default (Kafka transactions committed on checkpoints). See docs/cluster.md.
 */
public record KafkaSinkSpec(KafkaSinkSettings settings) implements SinkSpec {
  @Override
  public String type() {
    return "kafka";
  }

  /** Whether the sink writes in transactions, which commit only when a checkpoint completes. */
  public boolean transactional() {
    return settings.deliveryGuarantee() == org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE;
  }
}
