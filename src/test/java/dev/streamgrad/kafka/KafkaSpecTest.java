package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.job.spec.KafkaSinkSpec;
import dev.streamgrad.job.spec.KafkaSourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** The {@code kafka} source and sink type of job specs. */
class KafkaSpecTest {
  private static final String SPEC = String.join("\n",
      "name: k",
      "source: {type: kafka, bootstrapServers: 'b:9092', topic: in}",
      "layer: {type: conv2d, kernel: [3, 3]}",
      "train: {loss: mse, optimizer: {type: sgd, lr: 0.01}, snapshotEvery: 10}",
      "sink: {type: kafka, bootstrapServers: 'b:9092', topic: out}",
      "");

  private static JobSpec parse(String yaml, String... sets) throws SpecException {
    return JobSpecParser.parse("jobs/k.yaml", "k", yaml, List.of(sets));
  }

  private static void fails(String yaml, String message, String... sets) {
    assertThatThrownBy(() -> parse(yaml, sets)).isInstanceOf(SpecException.class).hasMessage(message);
  }

  @Test
  void defaultsReadEverythingCommittedAndWriteExactlyOnce() throws Exception {
    JobSpec spec = parse(SPEC);
    KafkaSourceSettings in = ((KafkaSourceSpec) spec.source()).settings();
    assertThat(in.bootstrapServers()).isEqualTo("b:9092");
    assertThat(in.groupId()).isEqualTo("streamgrad-in");
    assertThat(in.startingOffsets()).isEqualTo("earliest");
    assertThat(in.bounded()).isFalse();
    KafkaSinkSettings out = ((KafkaSinkSpec) spec.sink()).settings();
    assertThat(out.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(out.transactionalIdPrefix()).isEqualTo("streamgrad-out");
    assertThat(out.transactionTimeoutMs()).isEqualTo(600_000);
    // unbounded: checkpoints by default
    assertThat(spec.checkpoints()).isNotNull();
  }

  @Test
  void everyKeyIsRead() throws Exception {
    JobSpec spec = parse(SPEC,
        "source.groupId=g", "source.startingOffsets=timestamp:1700000000000", "source.bounded=true",
        "source.properties={max.poll.records: 50}", "sink.delivery=at-least-once",
        "sink.transactionalIdPrefix=p", "sink.transactionTimeout=5m", "sink.properties={linger.ms: 20}");
    KafkaSourceSettings in = ((KafkaSourceSpec) spec.source()).settings();
    assertThat(in.groupId()).isEqualTo("g");
    assertThat(in.startingOffsets()).isEqualTo("timestamp:1700000000000");
    assertThat(in.bounded()).isTrue();
    assertThat(in.properties()).isEqualTo(Map.of("max.poll.records", "50"));
    KafkaSinkSettings out = ((KafkaSinkSpec) spec.sink()).settings();
    assertThat(out.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(out.transactionalIdPrefix()).isEqualTo("p");
    assertThat(out.transactionTimeoutMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(out.properties()).isEqualTo(Map.of("linger.ms", "20"));
    // bounded and not transactional: no checkpoints needed
    assertThat(spec.checkpoints()).isNull();
  }

  @Test
  void consumersFetchInBulkUnlessTheSpecSaysOtherwise() throws Exception {
    KafkaSourceSettings defaults = ((KafkaSourceSpec) parse(SPEC).source()).settings();
    assertThat(KafkaStreams.consumerProperties(defaults)).containsEntry("isolation.level", "read_committed")
        .containsEntry("max.partition.fetch.bytes", "8388608").containsEntry("receive.buffer.bytes", "-1");
    KafkaSourceSettings own = ((KafkaSourceSpec) parse(SPEC,
        "source.properties={max.partition.fetch.bytes: '1048576', receive.buffer.bytes: '65536'}").source()).settings();
    assertThat(KafkaStreams.consumerProperties(own)).containsEntry("max.partition.fetch.bytes", "1048576")
        .containsEntry("receive.buffer.bytes", "65536");
  }

  @Test
  void aBoundedJobWithAnExactlyOnceSinkStillGetsCheckpoints() throws Exception {
    // the sink's transactions commit on checkpoints
    assertThat(parse(SPEC, "source.bounded=true").checkpoints()).isNotNull();
  }

  @Test
  void errorsNameTheFileAndKey() {
    fails(SPEC, "jobs/k.yaml: source.startingOffsets: startingOffsets 'yesterday': expected earliest, latest,"
        + " committed or timestamp:<epoch millis>", "source.startingOffsets=yesterday");
    fails(SPEC, "jobs/k.yaml: source.topic: missing (required)", "source.topic=null");
    fails(SPEC, "jobs/k.yaml: sink.bootstrapServers: missing (required)", "sink.bootstrapServers=null");
    fails(SPEC, "jobs/k.yaml: sink.delivery: must be one of exactly-once, at-least-once, none, got 'twice'",
        "sink.delivery=twice");
    fails(SPEC, "jobs/k.yaml: sink.transactionTimeout: must be above 0 and at most 15m (the broker's default"
        + " transaction.max.timeout.ms), got PT1H", "sink.transactionTimeout=1h");
    assertThatThrownBy(() -> parse(SPEC, "source.partitions=3"))
        .hasMessageStartingWith("jobs/k.yaml: source.partitions: unknown key");
  }

  @Test
  void theShippedKafkaSpecIsValid() throws Exception {
    JobSpec spec = JobSpecParser.parse(Path.of("jobs", "kafka-train.yaml"), List.of());
    assertThat(spec.source()).isInstanceOf(KafkaSourceSpec.class);
    assertThat(spec.sink()).isInstanceOf(KafkaSinkSpec.class);
    assertThat(spec.deadLetters()).isInstanceOf(KafkaSinkSpec.class);
    assertThat(((KafkaSinkSpec) spec.sink()).settings().transactionalIdPrefix())
        .isNotEqualTo(((KafkaSinkSpec) spec.deadLetters()).settings().transactionalIdPrefix());
  }
}
