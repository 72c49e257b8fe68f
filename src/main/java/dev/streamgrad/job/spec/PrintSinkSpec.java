package dev.streamgrad.job.spec;

/**
 * {@code sink: {type: print, stream: stdout|stderr}}: one JSON line per record (tensors as shape,
 * dtype and values), prefixed by the subtask like Flink's print sink.
 */
public record PrintSinkSpec(boolean stderr) implements SinkSpec {
  @Override
  public String type() {
    return "print";
  }
}
