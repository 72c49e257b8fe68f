package dev.streamgrad.kafka;

import java.nio.charset.StandardCharsets;

/**
 * One Kafka record as it arrived, still undecoded: where it came from and its key and value
 * bytes. A Flink POJO (public fields, no-argument constructor), so it needs no Kryo.
 */
public class KafkaPayload {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] key;
  public byte[] value;

  public KafkaPayload() {}

  public KafkaPayload(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  /** The key as text, or null when absent. */
  public String keyString() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** {@code topic-partition@offset}, for messages. */
  public String position() {
    return topic + "-" + partition + "@" + offset;
  }
}
