package dev.streamgrad.kafka;

import dev.streamgrad.avro.DeadLetter;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Kafka sources and sinks of streamgrad records for Flink jobs.
 *
 * <p>A source is the Kafka reader followed by a chained decode operator (same parallelism, so a
 * partition's order, and with it each model's order, is kept); undecodable values leave through
 * the dead-letter side output of the returned operator.
 */
public final class KafkaStreams {
  private KafkaStreams() {}

  /** The raw Kafka source: every record as bytes, read with {@code read_committed}. */
  public static KafkaSource<KafkaPayload> rawSource(KafkaSourceSettings s) {
    Properties props = new Properties();
    props.setProperty("isolation.level", "read_committed");
    props.putAll(s.properties());
    KafkaSourceBuilder<KafkaPayload> builder = KafkaSource.<KafkaPayload>builder()
        .setBootstrapServers(s.bootstrapServers())
        .setTopics(s.topic())
        .setGroupId(s.groupId())
        .setStartingOffsets(s.startingOffsetsInitializer())
        .setDeserializer(new PayloadDeserializer())
        .setProperties(props);
    if (s.bounded()) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder.build();
  }

  /**
   * Reads {@code type} records from Kafka.
   *
   * @param uid uid of the source; the decode operator gets {@code uid + "-decode"}, which dead
   *     letters name as their stage
   * @param deadLetters the side output that receives undecodable values
   */
  public static <T extends SpecificRecord> SingleOutputStreamOperator<T> source(
      StreamExecutionEnvironment env,
      KafkaSourceSettings s,
      Class<T> type,
      OutputTag<DeadLetter> deadLetters,
      String uid) {
    String decodeUid = uid + "-decode";
    return env.fromSource(rawSource(s), WatermarkStrategy.noWatermarks(), "kafka " + s.topic())
        .uid(uid)
        .process(new DecodeFunction<>(SingleObjectCodec.of(type), deadLetters, decodeUid))
        .uid(decodeUid)
        .name("kafka decode " + type.getSimpleName() + " from " + s.topic());
  }

  /** A sink writing {@code type} records to Kafka, keyed by model or key. */
  public static <T extends SpecificRecord> KafkaSink<T> sink(KafkaSinkSettings s, Class<T> type) {
    Properties props = new Properties();
    props.setProperty("transaction.timeout.ms", Long.toString(s.transactionTimeoutMs()));
    props.putAll(s.properties());
    return KafkaSink.<T>builder()
        .setBootstrapServers(s.bootstrapServers())
        .setRecordSerializer(new AvroRecordSerializer<>(s.topic(), SingleObjectCodec.of(type)))
        .setDeliveryGuarantee(s.deliveryGuarantee())
        .setTransactionalIdPrefix(s.transactionalIdPrefix())
        .setKafkaProducerConfig(props)
        .build();
  }
}
