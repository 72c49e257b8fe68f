package dev.streamgrad.job.spec;

/**
 * {@code predict: {source, sink, model}}: unlabeled records predicted with the newest filter the
 * trainer has emitted. {@code model} null: each record's key names its model.
 */
public record PredictSpec(SourceSpec source, SinkSpec sink, String model) {}
