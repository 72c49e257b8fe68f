package dev.streamgrad.modelstate;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.flink.Operators;
import dev.streamgrad.flink.TestRecords;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.Uids;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.records.RecordTypeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A training job of one model ({@value #MODEL}) on records {@code from..}{@value #RECORDS}{@code -1}
 * of a fixed stream, for tests that stop a model and go on from where it was: record i is the same
 * 10x10 input and 8x8 target in every run, so training on records {@code from..} from the state after
 * record {@code from - 1} must give the snapshots an uninterrupted run gives after it.
 */
final class ResumeJob {
  static final String MODEL = "m0";
  static final int RECORDS = 245; // not a multiple of snapshotEvery: the last snapshot comes from the end-of-input timer
  static final Queue<FilterSnapshot> OUT = new ConcurrentLinkedQueue<>();

  private ResumeJob() {}

  /** The job, restoring {@code savepoint} (or null), with trainer parallelism 2. */
  static StreamExecutionEnvironment build(LayerSpec layer, TrainConfig train, long from, RateLimiterStrategy<?> rate,
      String savepoint) {
    return build(layer, train, from, rate, savepoint, Map.of());
  }

  /** The same with more Flink settings ({@code extra} wins). */
  static StreamExecutionEnvironment build(LayerSpec layer, TrainConfig train, long from, RateLimiterStrategy<?> rate,
      String savepoint, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("state.backend.type", "hashmap");
    settings.put("pipeline.generic-types", "false");
    settings.put("restart-strategy.type", "none");
    if (savepoint != null) {
      settings.put("execution.state-recovery.path", savepoint);
    }
    settings.putAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings));
    env.setParallelism(2);
    Operators.train(env.fromSource(new DataGeneratorSource<>(new Generate(from), RECORDS - from, rate,
            RecordTypeInfo.LABELED), WatermarkStrategy.noWatermarks(), "labeled")
        .setParallelism(1).uid(Uids.SOURCE), layer, train)
        .sinkTo(new QueueSink()).setParallelism(1).uid(Uids.SINK);
    return env;
  }

  /** {@link #OUT} by version, emptied. */
  static List<FilterSnapshot> drain() {
    List<FilterSnapshot> out = new ArrayList<>(OUT);
    OUT.clear();
    out.sort(Comparator.comparing(FilterSnapshot::getVersion));
    return out;
  }

  /** Record {@code from + i}. */
  static final class Generate implements GeneratorFunction<Long, LabeledTensorRecord> {
    private static final long serialVersionUID = 1L;
    private final long from;

    Generate(long from) {
      this.from = from;
    }

    @Override
    public LabeledTensorRecord map(Long i) {
      long n = from + i;
      return TestRecords.random(MODEL, n, new Random(n), 10, 10, 3, 3);
    }
  }

  /** Appends to {@link #OUT}: the MiniCluster runs in this JVM. */
  static final class QueueSink implements Sink<FilterSnapshot> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<FilterSnapshot> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(FilterSnapshot element, Context ctx) {
          OUT.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
