package dev.streamgrad.kafka;

import java.util.Locale;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Where a Kafka sink writes, and how: with {@code exactly-once} (the default) records are written
 * in Kafka transactions committed when a Flink checkpoint completes, so a {@code read_committed}
 * reader sees each record once even across failures; the transactional ids start with
 * {@code transactionalIdPrefix}, which must be unique per sink among jobs sharing the brokers.
 *
 * @param delivery {@code exactly-once}, {@code at-least-once} or {@code none}
 * @param transactionTimeoutMs Kafka's {@code transaction.timeout.ms}; must not exceed the
 *     broker's {@code transaction.max.timeout.ms} (15 minutes by default) and should exceed the
 *     checkpoint interval plus the longest outage to recover from
 */
public record KafkaSinkSettings(
    String bootstrapServers,
    String topic,
    String delivery,
    String transactionalIdPrefix,
    long transactionTimeoutMs,
    Map<String, String> properties) {

  /** Ten minutes: under the broker's default maximum of 15 (Flink's own default, 1 hour, is not). */
  public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 600_000;

  public KafkaSinkSettings {
    KafkaSourceSettings.requireText(bootstrapServers, "bootstrapServers");
    KafkaSourceSettings.requireText(topic, "topic");
    delivery = delivery == null ? "exactly-once" : delivery;
    guarantee(delivery);
    transactionalIdPrefix = transactionalIdPrefix == null ? "streamgrad-" + topic : transactionalIdPrefix;
    transactionTimeoutMs = transactionTimeoutMs <= 0 ? DEFAULT_TRANSACTION_TIMEOUT_MS : transactionTimeoutMs;
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  /** Writes {@code topic} exactly once with the default transactional id prefix and timeout. */
  public static KafkaSinkSettings of(String bootstrapServers, String topic) {
    return new KafkaSinkSettings(bootstrapServers, topic, "exactly-once", null, 0, Map.of());
  }

  public KafkaSinkSettings withTransactionalIdPrefix(String prefix) {
    return new KafkaSinkSettings(bootstrapServers, topic, delivery, prefix, transactionTimeoutMs, properties);
  }

  public KafkaSinkSettings withDelivery(String value) {
    return new KafkaSinkSettings(bootstrapServers, topic, value, transactionalIdPrefix, transactionTimeoutMs, properties);
  }

  /** The connector's delivery guarantee for {@link #delivery()}. */
  public DeliveryGuarantee deliveryGuarantee() {
    return guarantee(delivery);
  }

  static DeliveryGuarantee guarantee(String delivery) {
    return switch (delivery.toLowerCase(Locale.ROOT)) {
      case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
      case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
      case "none" -> DeliveryGuarantee.NONE;
      default -> throw new IllegalArgumentException(
          "delivery '" + delivery + "': expected exactly-once, at-least-once or none");
    };
  }
}
