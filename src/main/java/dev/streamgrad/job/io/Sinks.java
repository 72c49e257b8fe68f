package dev.streamgrad.job.io;

import dev.streamgrad.job.spec.AvroFileSinkSpec;
import dev.streamgrad.job.spec.KafkaSinkSpec;
import dev.streamgrad.job.spec.PrintSinkSpec;
import dev.streamgrad.job.spec.SinkSpec;
import dev.streamgrad.kafka.KafkaStreams;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

/** Attaches the sink a {@link SinkSpec} describes, one case per sink type. */
public final class Sinks {
  private Sinks() {}

  /** {@link #add(DataStream, SinkSpec, Class, String, String)} without a run id in file names. */
  public static <T extends SpecificRecordBase> void add(DataStream<T> stream, SinkSpec spec, Class<T> type,
      String uid) {
    add(stream, spec, type, uid, null);
  }

  /**
   * Writes {@code stream} to {@code spec}. {@code uid} names the sink operator in savepoints.
   * {@code avro-file}: container files {@code <uid>-<run id>-<writer id>-<n>.avro} directly in the
   * folder ({@link RunId}; without the run id when {@code runId} is null), made visible (committed)
   * on each checkpoint and at the end of input, exactly once; until then they are hidden
   * {@code .<name>.inprogress.<id>} files.
   */
  public static <T extends SpecificRecordBase> void add(DataStream<T> stream, SinkSpec spec, Class<T> type,
      String uid, String runId) {
    if (spec instanceof AvroFileSinkSpec) {
      String path = ((AvroFileSinkSpec) spec).path();
      String prefix = runId == null ? uid : uid + "-" + runId;
      FileSink<T> sink = FileSink.forBulkFormat(new Path(new java.io.File(path).getAbsoluteFile().toURI()),
              AvroWriters.forSpecificRecord(type))
          .withBucketAssigner(new BasePathBucketAssigner<>())
          .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(prefix).withPartSuffix(".avro").build())
          .build();
      stream.sinkTo(sink).uid(uid).name("avro-file " + path);
      return;
    }
    if (spec instanceof PrintSinkSpec) {
      boolean stderr = ((PrintSinkSpec) spec).stderr();
      stream.map(RecordJson::toJson).returns(Types.STRING).uid(uid + "-json").name(uid + " as JSON")
          .sinkTo(new PrintSink<>(uid, stderr)).uid(uid).name("print " + (stderr ? "stderr" : "stdout"));
      return;
    }
    if (spec instanceof KafkaSinkSpec) {
      KafkaSinkSpec kafka = (KafkaSinkSpec) spec;
      stream.sinkTo(KafkaStreams.sink(kafka.settings(), type)).uid(uid).name("kafka " + kafka.settings().topic());
      return;
    }
    throw new IllegalArgumentException("no sink for type " + spec.type());
  }

  /** Where {@code spec} writes, for messages. */
  public static String describe(SinkSpec spec) {
    if (spec instanceof AvroFileSinkSpec) {
      return "Avro files in " + ((AvroFileSinkSpec) spec).path();
    }
    if (spec instanceof PrintSinkSpec) {
      return ((PrintSinkSpec) spec).stderr() ? "stderr" : "stdout";
    }
    if (spec instanceof KafkaSinkSpec) {
      KafkaSinkSpec kafka = (KafkaSinkSpec) spec;
      return "Kafka topic " + kafka.settings().topic() + " at " + kafka.settings().bootstrapServers()
          + " (" + kafka.settings().delivery() + ")";
    }
    return spec.type();
  }
}
