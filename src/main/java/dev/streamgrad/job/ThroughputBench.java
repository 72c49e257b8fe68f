package dev.streamgrad.job;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.flink.DeadLetters;
import dev.streamgrad.flink.LayerConfig;
import dev.streamgrad.flink.OptimizerConfig;
import dev.streamgrad.flink.Operators;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.Uids;
import dev.streamgrad.job.io.Sinks;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.AvroFileSinkSpec;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The trainer's end-to-end throughput: Avro-encoded labeled records (binary, as producers send
 * them) are decoded, trained on (conv2d, mse, SGD, one step per record, keyed by model) and the
 * snapshots written as Avro files. The source cycles through a pool of distinct encoded records
 * made before the clock starts, so that generating inputs is not what is measured.
 */
public final class ThroughputBench {
  private ThroughputBench() {}

  /**
   * One timed run: records trained, the job's net runtime, and the CPU time the whole process used
   * meanwhile (all threads: Flink's, the JIT's, the collector's), which other processes on the
   * machine disturb much less than the wall-clock rate.
   */
  public record Run(long records, double seconds, double cpuSeconds, long trainedPerModel) {
    public double recordsPerSecond() {
      return records / seconds;
    }

    public double cpuMicrosPerRecord() {
      return cpuSeconds * 1e6 / records;
    }
  }

  /** Runs the pipeline once on a local MiniCluster and checks that every record was trained on. */
  public static Run run(GeneratorSpec records, int kernel, int parallelism, int pool, Path out) throws Exception {
    Configuration conf = JobConfig.embeddedCluster(JobConfig.pipeline(parallelism));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    int models = records.keys().size();
    int poolSize = Math.max(models, pool / models * models);
    // one reader keeps each model's records in order up to the trainer's keyBy; it decodes each
    // record from its Avro binary encoding as it reads it, as a Kafka deserializer does
    DataGeneratorSource<LabeledTensorRecord> source = new DataGeneratorSource<>(new EncodedPool(records, poolSize),
        records.count(), RateLimiterStrategy.noOp(), new AvroTypeInfo<>(LabeledTensorRecord.class));
    DataStream<LabeledTensorRecord> decoded = env.fromSource(source, WatermarkStrategy.noWatermarks(),
        "avro records").setParallelism(1);
    TrainConfig train = new TrainConfig(OptimizerConfig.sgd(0.01, 0, 0, 0, false), 1, 10_000);
    SingleOutputStreamOperator<FilterSnapshot> snapshots =
        Operators.train(decoded, LayerConfig.conv2dSeeded(kernel, kernel, 1), train);
    Sinks.add(snapshots, new AvroFileSinkSpec(out.toString()), FilterSnapshot.class, Uids.SINK);
    snapshots.getSideOutput(DeadLetters.TAG).sinkTo(new DiscardingSink<>());
    long cpuBefore = processCpuNanos();
    JobExecutionResult r = env.execute("throughput");
    double cpu = (processCpuNanos() - cpuBefore) / 1e9;
    long perModel = trainedPerModel(out);
    return new Run(records.count(), r.getNetRuntime() / 1000.0, cpu, perModel);
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0L;
  }

  /** The fewest records any model's newest snapshot in {@code dir} says it trained on. */
  static long trainedPerModel(Path dir) throws IOException {
    java.util.Map<String, Long> newest = new java.util.HashMap<>();
    java.util.List<Path> files;
    try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
      files = walk.filter(java.nio.file.Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }
    for (Path f : files) {
      try (org.apache.avro.file.DataFileReader<FilterSnapshot> r = new org.apache.avro.file.DataFileReader<>(
          f.toFile(), new SpecificDatumReader<>(FilterSnapshot.class))) {
        for (FilterSnapshot s : r) {
          newest.merge(s.getModel(), s.getRecords(), Math::max);
        }
      }
    }
    return newest.values().stream().mapToLong(Long::longValue).min().orElse(0);
  }

  /**
   * Record i of the stream is pool entry i mod n, kept in Avro's binary encoding and decoded when
   * it is read; its sequence number continues past the pool (the key already matches).
   */
  static final class EncodedPool implements GeneratorFunction<Long, LabeledTensorRecord> {
    private static final long serialVersionUID = 1L;
    private final GeneratorSpec spec;
    private final int size;
    private transient byte[][] pool;
    private transient SpecificDatumReader<LabeledTensorRecord> reader;
    private transient BinaryDecoder decoder;

    EncodedPool(GeneratorSpec spec, int size) {
      this.spec = spec;
      this.size = size;
    }

    @Override
    public void open(SourceReaderContext readerContext) throws IOException {
      SyntheticRecords gen = new SyntheticRecords(spec);
      SpecificDatumWriter<LabeledTensorRecord> writer = new SpecificDatumWriter<>(LabeledTensorRecord.class);
      pool = new byte[size][];
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder enc = null;
      for (int j = 0; j < size; j++) {
        bytes.reset();
        enc = EncoderFactory.get().binaryEncoder(bytes, enc);
        writer.write(gen.labeled(j), enc);
        enc.flush();
        pool[j] = bytes.toByteArray();
      }
      reader = new SpecificDatumReader<>(LabeledTensorRecord.class);
    }

    @Override
    public LabeledTensorRecord map(Long i) throws IOException {
      decoder = DecoderFactory.get().binaryDecoder(pool[(int) (i % size)], decoder);
      LabeledTensorRecord r = reader.read(null, decoder);
      r.setSeq(i / spec.keys().size());
      return r;
    }
  }
}
