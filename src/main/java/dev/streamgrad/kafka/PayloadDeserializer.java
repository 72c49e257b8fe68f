package dev.streamgrad.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Hands every Kafka record on as raw bytes. Decoding happens in {@link DecodeFunction}, where a
 * bad value can become a dead letter; a deserializer can only emit or fail.
 */
final class PayloadDeserializer implements KafkaRecordDeserializationSchema<KafkaPayload> {
  private static final long serialVersionUID = 1L;

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaPayload> out) {
    out.collect(new KafkaPayload(
        record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(), record.value()));
  }

  @Override
  public TypeInformation<KafkaPayload> getProducedType() {
    return TypeInformation.of(KafkaPayload.class);
  }
}
