package dev.streamgrad.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as single-object-encoded Avro values keyed by {@link RecordKeys}; partitioning
 * is Kafka's default hash of the key, the same as {@link KafkaRecordWriter}'s.
 */
final class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SingleObjectCodec<T> codec;

  AvroRecordSerializer(String topic, SingleObjectCodec<T> codec) {
    this.topic = topic;
    this.codec = codec;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(topic, null, timestamp, RecordKeys.keyBytes(element), codec.encode(element));
  }
}
