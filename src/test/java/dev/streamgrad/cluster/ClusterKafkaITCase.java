package dev.streamgrad.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.kafka.KafkaRecordReader;
import dev.streamgrad.kafka.KafkaRecordWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * streamgrad on a real Flink standalone cluster and a real Kafka broker, each a separate process
 * on loopback, started from Maven Central jars (no Docker).
 */
class ClusterKafkaITCase {
  private static ManagedProcesses processes;
  private static FlinkStandalone flink;
  private static KafkaBroker kafka;
  private static Path work;

  @BeforeAll
  static void startClusterAndBroker() throws Exception {
    work = Files.createDirectories(Path.of("target", "cluster-it")).toAbsolutePath();
    processes = new ManagedProcesses();
    boolean started = false;
    try {
      Path flinkLib = ClusterLibs.flink();
      Path kafkaLib = ClusterLibs.kafka();
      String run = "run-" + System.currentTimeMillis();
      kafka = new KafkaBroker(work.resolve(run).resolve("kafka"), kafkaLib, processes);
      flink = new FlinkStandalone(work.resolve(run).resolve("flink"), flinkLib, processes);
      // the broker and the cluster start side by side: each takes 10-30 s on a busy machine
      java.util.concurrent.CompletableFuture<Void> broker = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          kafka.start();
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      flink.start(1);
      broker.get(2, java.util.concurrent.TimeUnit.MINUTES);
      started = true;
    } finally {
      if (!started) {
        processes.close();
      }
    }
  }

  @AfterAll
  static void stopEverything() {
    if (processes != null) {
      processes.close();
    }
  }

  @Test
  void clusterAcceptsWebSubmissionAndBrokerRoundTripsRecords() throws Exception {
    assertThat(flink.rest().get("/config").path("features").path("web-submit").asBoolean()).isTrue();
    assertThat(flink.rest().get("/taskmanagers").path("taskmanagers").size()).isEqualTo(1);

    kafka.createTopics(2, "roundtrip");
    List<LabeledTensorRecord> sent = new ArrayList<>();
    try (KafkaRecordWriter<LabeledTensorRecord> w =
        new KafkaRecordWriter<>(kafka.bootstrapServers(), "roundtrip", LabeledTensorRecord.class)) {
      for (int i = 0; i < 20; i++) {
        LabeledTensorRecord r = TrainingData.labeled("m" + (i % 3), i / 3);
        sent.add(r);
        w.send(r);
      }
      w.sendRaw(null, new byte[] {1, 2, 3});
    }
    KafkaRecordReader.Contents<LabeledTensorRecord> read = KafkaRecordReader.readAll(
        kafka.bootstrapServers(), "roundtrip", LabeledTensorRecord.class, Duration.ofSeconds(30));
    assertThat(read.records()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(read.undecodable()).singleElement().asString().contains("not Avro single-object encoding");
    // a model's records stay in order: they share a partition
    for (String model : List.of("m0", "m1", "m2")) {
      assertThat(read.records().stream().filter(r -> r.getModel().equals(model)).map(LabeledTensorRecord::getSeq))
          .isSorted();
    }
  }
}
