package dev.streamgrad.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A plain (non-Flink) producer of records to one topic, as {@code streamgrad generate} and tests
 * use it: idempotent, {@code acks=all}, keyed like the Flink sink so a model's records land in one
 * partition in order.
 */
public final class KafkaRecordWriter<T extends SpecificRecord> implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final SingleObjectCodec<T> codec;
  private long written;
  private volatile Exception failure;

  public KafkaRecordWriter(String bootstrapServers, String topic, Class<T> type) {
    this(bootstrapServers, topic, type, Map.of());
  }

  public KafkaRecordWriter(String bootstrapServers, String topic, Class<T> type, Map<String, String> properties) {
    Properties props = new Properties();
    props.setProperty("bootstrap.servers", bootstrapServers);
    props.setProperty("acks", "all");
    props.setProperty("enable.idempotence", "true");
    props.setProperty("linger.ms", "5");
    // one request in flight and Kafka's default 16 KB batches: with five in flight (and with 256 KB
    // batches) the real-cluster test's idempotent producer met OutOfOrderSequenceException on a
    // freshly created topic (a retried first batch older than the broker's last five batches) and
    // its records expired after two minutes; writing is slower, never out of order
    props.setProperty("max.in.flight.requests.per.connection", "1");
    props.putAll(properties);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
    this.codec = SingleObjectCodec.of(type);
  }

  /** Sends one record (asynchronously; {@link #flush} or {@link #close} waits). */
  public Future<RecordMetadata> send(T record) {
    written++;
    return producer.send(new ProducerRecord<>(topic, RecordKeys.keyBytes(record), codec.encode(record)),
        this::remember);
  }

  /**
   * Sends one record to {@code partition} instead of the one its key hashes to (e.g. to deal a few
   * models evenly over the partitions; each model must keep to one partition to stay in order).
   */
  public Future<RecordMetadata> send(T record, int partition) {
    written++;
    return producer.send(new ProducerRecord<>(topic, partition, RecordKeys.keyBytes(record), codec.encode(record)),
        this::remember);
  }

  /** Sends a value as it is, e.g. bytes that are not a record at all. */
  public Future<RecordMetadata> sendRaw(byte[] key, byte[] value) {
    written++;
    return producer.send(new ProducerRecord<>(topic, key, value), this::remember);
  }

  private void remember(RecordMetadata metadata, Exception e) {
    if (e != null && failure == null) {
      failure = e;
    }
  }

  /**
   * Waits until every record sent so far is acknowledged.
   *
   * @throws KafkaException if any of them could not be written
   */
  public void flush() {
    producer.flush();
    if (failure != null) {
      throw new KafkaException("writing to " + topic + " failed: " + failure.getMessage(), failure);
    }
  }

  /** Sends, then waits for this record's acknowledgement. */
  public RecordMetadata sendSync(T record) throws InterruptedException, ExecutionException {
    return send(record).get();
  }

  public long written() {
    return written;
  }

  @Override
  public void close() {
    producer.close();
  }
}
