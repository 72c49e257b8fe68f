package dev.streamgrad.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.job.bench.CpuProfile.Stage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which stage a sampled stack belongs to, on stacks recorded from a {@code bench --source kafka} run
 * (leaf first, cut to the frames that matter).
 */
class CpuProfileTest {
  private static final String SOURCE_TASK = "Source: kafka t -> kafka decode LabeledTensorRecord from t"
      + " -> progress (records in) (1/2)#0";
  private static final String FETCHER = "Source Data Fetcher for " + SOURCE_TASK;

  @Test
  void kafkaConsumerPollOnTheFetcherThreadIsSource() {
    assertThat(CpuProfile.stageOf(List.of(
        "java.nio.Buffer.limit",
        "org.apache.kafka.clients.consumer.internals.CompletedFetch.parseRecord",
        "org.apache.kafka.clients.consumer.internals.CompletedFetch.fetchRecords",
        "org.apache.kafka.clients.consumer.KafkaConsumer.poll",
        "org.apache.flink.connector.kafka.source.reader.KafkaPartitionSplitReader.fetch",
        "org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher.run"), FETCHER))
        .isEqualTo(Stage.SOURCE);
    // the fetcher's socket reads: JDK frames under the consumer's network client
    assertThat(CpuProfile.stageOf(List.of(
        "sun.nio.ch.IOUtil.read",
        "org.apache.kafka.common.network.Selector.poll",
        "org.apache.kafka.clients.NetworkClient.poll"), FETCHER))
        .isEqualTo(Stage.SOURCE);
  }

  @Test
  void decodingIsSourceAndWhatTheDecoderEmitsIsTheShuffle() {
    List<String> chain = List.of(
        "dev.streamgrad.kafka.DecodeFunction.processElement",
        "org.apache.flink.streaming.api.operators.ProcessOperator.processElement",
        "org.apache.flink.streaming.runtime.tasks.ChainingOutput.pushToOperator",
        "dev.streamgrad.kafka.PayloadDeserializer.deserialize",
        "org.apache.flink.connector.kafka.source.reader.KafkaRecordEmitter.emitRecord",
        "org.apache.flink.streaming.api.operators.SourceOperator.emitNext");
    assertThat(CpuProfile.stageOf(concat(List.of(
        "org.apache.avro.io.BinaryDecoder.readBytes",
        "org.apache.avro.generic.GenericDatumReader.read",
        "dev.streamgrad.kafka.SingleObjectCodec.decode"), chain), SOURCE_TASK))
        .isEqualTo(Stage.SOURCE);
    // the key's hash and channel choice under the progress tap that follows the decoder
    assertThat(CpuProfile.stageOf(concat(List.of(
        "java.lang.String.hashCode",
        "org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignToKeyGroup",
        "org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner.selectChannel",
        "org.apache.flink.runtime.io.network.api.writer.ChannelSelectorRecordWriter.emit",
        "org.apache.flink.streaming.runtime.io.RecordWriterOutput.collect",
        "dev.streamgrad.job.ProgressTaps$Count.map"), chain), SOURCE_TASK))
        .isEqualTo(Stage.SHUFFLE_SEND);
    assertThat(CpuProfile.stageOf(concat(List.of("dev.streamgrad.job.ProgressTaps$Count.map"), chain), SOURCE_TASK))
        .isEqualTo(Stage.OTHER_TASK);
  }

  @Test
  void aKafkaSinksProducerIsSinkNotSource() {
    assertThat(CpuProfile.stageOf(List.of(
        "org.apache.kafka.clients.producer.internals.RecordAccumulator.append",
        "org.apache.kafka.clients.producer.KafkaProducer.send",
        "org.apache.flink.connector.kafka.sink.KafkaWriter.write"), "train conv2d ... -> kafka sink (1/2)#0"))
        .isEqualTo(Stage.SINK);
    assertThat(CpuProfile.stageOf(List.of("org.apache.kafka.clients.producer.internals.Sender.run"),
        "kafka-producer-network-thread | producer-1")).isEqualTo(Stage.SINK);
  }

  @Test
  void unmatchedFramesAreTaskWorkOnlyOnTaskThreads() {
    List<String> mailbox = List.of(
        "org.apache.flink.streaming.runtime.tasks.mailbox.MailboxProcessor.runMailboxLoop",
        "org.apache.flink.streaming.runtime.tasks.StreamTask.invoke");
    assertThat(CpuProfile.stageOf(mailbox, SOURCE_TASK)).isEqualTo(Stage.OTHER_TASK);
    assertThat(CpuProfile.stageOf(List.of("java.util.zip.ZipFile.getEntry", "dev.streamgrad.job.JobRunner.run"),
        "main")).isEqualTo(Stage.OTHER);
    assertThat(CpuProfile.stageOf(List.of("org.apache.pekko.dispatch.Mailbox.run"),
        "flink-pekko.actor.default-dispatcher-5")).isEqualTo(Stage.OTHER);
  }

  private static List<String> concat(List<String> leaf, List<String> root) {
    return Stream.concat(leaf.stream(), root.stream()).toList();
  }
}
