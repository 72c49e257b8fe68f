package dev.streamgrad.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.kafka.KafkaRecordReader;
import dev.streamgrad.kafka.KafkaRecordWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Producing training input to, and reading filter snapshots from, Kafka topics in the cluster tests. */
final class SnapshotTopics {
  private SnapshotTopics() {}

  /** Produces {@link TrainingData#learnable} records [from, to) in order, {@code pauseMs} apart, in the background. */
  static CompletableFuture<Void> produce(String brokers, String topic, int from, int to, long pauseMs) {
    return CompletableFuture.runAsync(() -> {
      try (KafkaRecordWriter<LabeledTensorRecord> w =
          new KafkaRecordWriter<>(brokers, topic, LabeledTensorRecord.class)) {
        for (int i = from; i < to; i++) {
          w.send(TrainingData.learnable(i));
          if (pauseMs > 0) {
            w.flush();
            Thread.sleep(pauseMs);
          }
        }
        w.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    });
  }

  /** Every committed snapshot of {@code topic} ({@code read_committed}); none may be undecodable. */
  static List<FilterSnapshot> read(String brokers, String topic, Duration timeout) throws Exception {
    KafkaRecordReader.Contents<FilterSnapshot> c =
        KafkaRecordReader.readAll(brokers, topic, FilterSnapshot.class, timeout);
    assertThat(c.undecodable()).isEmpty();
    return c.records();
  }

  /** One model's snapshots, in the order they were committed. */
  static List<FilterSnapshot> ofModel(List<FilterSnapshot> all, String model) {
    return all.stream().filter(s -> s.getModel().equals(model)).toList();
  }

  static Map<String, List<Long>> versionsByModel(List<FilterSnapshot> all) {
    Map<String, List<Long>> out = new LinkedHashMap<>();
    for (FilterSnapshot s : all) {
      out.computeIfAbsent(s.getModel(), k -> new ArrayList<>()).add(s.getVersion());
    }
    return out;
  }
}
