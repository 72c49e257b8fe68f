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
  /**
   * Bytes a fetch returns per partition at most (the client's default is 1 MB, about 170 labeled
   * 28x28 float32 records, so a fetch request per 170 records): with 8 MB and the OS's socket buffer
   * the bench's broker spent 2.1 instead of 4.1 microseconds of CPU per record, the source 6.5
   * instead of 8.3 (docs/jobs.md, "Kafka"). It bounds what a reader buffers, not the size of a
   * record: a larger record is still returned whole.
   */
  public static final int FETCH_BYTES_PER_PARTITION = 8 * 1024 * 1024;

  private KafkaStreams() {}

  /**
   * The raw Kafka source: every record as bytes, read with {@code read_committed}, with fetches sized
   * for tensor records ({@link #FETCH_BYTES_PER_PARTITION}, the operating system's socket buffer); a
   * spec's {@code properties} override any of these.
   */
  public static KafkaSource<KafkaPayload> rawSource(KafkaSourceSettings s) {
    Properties props = consumerProperties(s);
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

  /** The consumer properties of a source: streamgrad's defaults, then the spec's {@code properties}. */
  static Properties consumerProperties(KafkaSourceSettings s) {
    Properties props = new Properties();
    props.setProperty("isolation.level", "read_committed");
    props.setProperty("max.partition.fetch.bytes", Integer.toString(FETCH_BYTES_PER_PARTITION));
    // -1: the OS's own, auto-tuned buffer (an explicit size is capped by net.core.rmem_max and turns
    // Linux's tuning off); with the client's 64 KB an 8 MB fetch took over a hundred reads, and the
    // bench's broker spent two thirds more CPU per record, the source a fifth more
    props.setProperty("receive.buffer.bytes", "-1");
    props.putAll(s.properties());
    return props;
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
