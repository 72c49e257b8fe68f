package dev.streamgrad.job.spec;

/**
 * {@code sink: {type: avro-file, path: DIR}}: Avro container files written into the folder {@code
 * DIR} (Flink's file sink: {@code part-*} files, committed on checkpoints and at the end of input).
 */
public record AvroFileSinkSpec(String path) implements SinkSpec {
  @Override
  public String type() {
    return "avro-file";
  }
}
