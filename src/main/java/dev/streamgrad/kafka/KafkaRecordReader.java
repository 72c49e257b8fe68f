package dev.streamgrad.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic as it is committed now ({@code read_committed}: records of open or aborted
 * transactions are invisible), outside Flink; for inspecting snapshot topics and for tests.
 */
public final class KafkaRecordReader {
  private KafkaRecordReader() {}

  /** What a topic held: the decoded records, partition by partition in offset order, and the rest. */
  public record Contents<T>(List<T> records, List<String> undecodable) {}

  /**
   * Reads every committed record of {@code topic} from the beginning up to the current end.
   *
   * @throws TimeoutException if the end is not reached in {@code timeout}
   */
  public static <T extends SpecificRecord> Contents<T> readAll(
      String bootstrapServers, String topic, Class<T> type, Duration timeout) throws TimeoutException {
    SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
    return readAll(bootstrapServers, topic, codec::decode, Long.MAX_VALUE, timeout);
  }

  /** Decodes one value or says why it cannot. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] value) throws UndecodableException;
  }

  /**
   * Reads the committed records of {@code topic} from the beginning up to the current end, at most
   * {@code limit} per partition, decoding each with {@code decoder}.
   *
   * @throws TimeoutException if the end is not reached in {@code timeout}
   */
  public static <T> Contents<T> readAll(String bootstrapServers, String topic, Decoder<T> decoder, long limit,
      Duration timeout) throws TimeoutException {
    Properties props = new Properties();
    props.setProperty("bootstrap.servers", bootstrapServers);
    props.setProperty("isolation.level", "read_committed");
    props.setProperty("enable.auto.commit", "false");
    List<T> records = new ArrayList<>();
    List<String> undecodable = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // under read_committed the end offsets are the last stable offsets
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      List<List<T>> byPartition = new ArrayList<>();
      partitions.forEach(p -> byPartition.add(new ArrayList<>()));
      while (!reachedEnd(consumer, partitions, end)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("reading " + topic + " did not reach " + end + " in " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          List<T> mine = byPartition.get(partitions.indexOf(new TopicPartition(r.topic(), r.partition())));
          if (mine.size() >= limit) {
            continue;
          }
          try {
            mine.add(decoder.decode(r.value()));
          } catch (UndecodableException e) {
            undecodable.add(r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.reason());
          }
        }
      }
      byPartition.forEach(records::addAll);
    }
    return new Contents<>(records, undecodable);
  }

  private static boolean reachedEnd(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
    for (TopicPartition p : partitions) {
      if (consumer.position(p) < end.get(p)) {
        return false;
      }
    }
    return true;
  }
}
