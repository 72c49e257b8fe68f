package dev.streamgrad.flink;

import dev.streamgrad.avro.FilterSnapshot;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Appends snapshots to a named queue in this JVM (the MiniCluster runs here): the sink's instances
 * are serialized into the job, so they find their queue by name.
 */
final class CollectingSink implements Sink<FilterSnapshot> {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Queue<FilterSnapshot>> QUEUES = new ConcurrentHashMap<>();
  private final String name;

  CollectingSink(String name) {
    this.name = name;
  }

  /** The queue the sinks named {@code name} append to. */
  static Queue<FilterSnapshot> queue(String name) {
    return QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
  }

  @Override
  public SinkWriter<FilterSnapshot> createWriter(WriterInitContext context) {
    Queue<FilterSnapshot> out = queue(name);
    return new SinkWriter<>() {
      @Override
      public void write(FilterSnapshot element, Context ctx) {
        out.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
