package dev.streamgrad.kafka;

import java.util.Map;
import java.util.Objects;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where a Kafka source reads: brokers, topic, consumer group, where to start, whether to stop at
 * the offsets that were the latest when the job started (a bounded run), extra consumer
 * properties. Readers always use {@code isolation.level=read_committed}, so records of aborted
 * transactions (a failed exactly-once writer) are never seen.
 *
 * @param startingOffsets {@code earliest}, {@code latest}, {@code committed} (the group's
 *     committed offsets, else earliest) or {@code timestamp:<epoch millis>}
 */
public record KafkaSourceSettings(
    String bootstrapServers,
    String topic,
    String groupId,
    String startingOffsets,
    boolean bounded,
    Map<String, String> properties) {

  public KafkaSourceSettings {
    requireText(bootstrapServers, "bootstrapServers");
    requireText(topic, "topic");
    requireText(groupId, "groupId");
    startingOffsets = startingOffsets == null ? "earliest" : startingOffsets;
    properties = properties == null ? Map.of() : Map.copyOf(properties);
    offsetsInitializer(startingOffsets); // fail at construction, not at job start
  }

  /** Reads {@code topic} from the earliest offset, unbounded, with default properties. */
  public static KafkaSourceSettings of(String bootstrapServers, String topic, String groupId) {
    return new KafkaSourceSettings(bootstrapServers, topic, groupId, "earliest", false, Map.of());
  }

  public KafkaSourceSettings withBounded(boolean value) {
    return new KafkaSourceSettings(bootstrapServers, topic, groupId, startingOffsets, value, properties);
  }

  public KafkaSourceSettings withStartingOffsets(String value) {
    return new KafkaSourceSettings(bootstrapServers, topic, groupId, value, bounded, properties);
  }

  /** The connector's initializer for {@link #startingOffsets()}. */
  public OffsetsInitializer startingOffsetsInitializer() {
    return offsetsInitializer(startingOffsets);
  }

  // The connector's committedOffsets still takes kafka-clients' deprecated OffsetResetStrategy.
  @SuppressWarnings("deprecation")
  static OffsetsInitializer offsetsInitializer(String spec) {
    switch (spec) {
      case "earliest":
        return OffsetsInitializer.earliest();
      case "latest":
        return OffsetsInitializer.latest();
      case "committed":
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
      default:
        if (spec.startsWith("timestamp:")) {
          try {
            return OffsetsInitializer.timestamp(Long.parseLong(spec.substring("timestamp:".length())));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("startingOffsets '" + spec + "': timestamp:<epoch millis> expected");
          }
        }
        throw new IllegalArgumentException("startingOffsets '" + spec
            + "': expected earliest, latest, committed or timestamp:<epoch millis>");
    }
  }

  static void requireText(String value, String name) {
    if (Objects.requireNonNull(value, name + " is required").isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
