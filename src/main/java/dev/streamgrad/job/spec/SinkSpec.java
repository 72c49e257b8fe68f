package dev.streamgrad.job.spec;

/** Where a job's output (or its dead letters) goes: one implementation per {@code sink.type}. */
public interface SinkSpec {
  /** The {@code type} as written in the spec, e.g. {@code avro-file}. */
  String type();
}
