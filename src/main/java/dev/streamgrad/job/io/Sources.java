package dev.streamgrad.job.io;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.job.spec.AvroFileSourceSpec;
import dev.streamgrad.flink.DeadLetters;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.job.spec.KafkaSourceSpec;
import dev.streamgrad.job.spec.SourceSpec;
import dev.streamgrad.kafka.KafkaStreams;
import dev.streamgrad.records.RecordTypeInfo;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * Creates the stream a {@link SourceSpec} describes, one case per source type.
 *
 * <p>Per-key order: online training depends on each model's records arriving in order, so sources
 * never reorder a key's records and nothing rebalances them before the trainer's {@code keyBy}. The
 * generator's readers each own a group of keys ({@link KeyGroupSequence}); an {@code avro-file}
 * source reads each file whole, in order, in one reader.
 *
 * <p>Every source's stream has the records' own type ({@link RecordTypeInfo#streamType}), so the
 * {@code keyBy} after it serialises records with streamgrad's serializers, not Avro's.
 */
public final class Sources {
  private Sources() {}

  /** Labeled records for the trainer; {@code uid} names the source operator in savepoints. */
  public static DataStream<LabeledTensorRecord> labeled(StreamExecutionEnvironment env, SourceSpec spec, String uid) {
    return create(env, spec, uid, LabeledTensorRecord.class);
  }

  /** Unlabeled records for forward operators and the predictor. */
  public static DataStream<TensorRecord> unlabeled(StreamExecutionEnvironment env, SourceSpec spec, String uid) {
    return create(env, spec, uid, TensorRecord.class);
  }

  private static <T extends SpecificRecordBase> DataStream<T> create(StreamExecutionEnvironment env,
      SourceSpec spec, String uid, Class<T> type) {
    if (spec instanceof GeneratorSpec) {
      return generator(env, (GeneratorSpec) spec, uid, type);
    }
    if (spec instanceof AvroFileSourceSpec) {
      AvroFileSourceSpec files = (AvroFileSourceSpec) spec;
      Path[] paths = files.files().stream().map(Path::new).toArray(Path[]::new);
      FileSource<Either<DeadLetter, T>> source =
          FileSource.forBulkFileFormat(new AvroContainerFormat<>(type, uid), paths).build();
      // one reader per file at most; each file is read whole, in order, by one reader
      int readers = Math.min(env.getParallelism(), files.files().size());
      return env.fromSource(source, WatermarkStrategy.noWatermarks(), "avro-file " + files.path())
          .uid(uid).setParallelism(readers)
          .process(new SplitDeadLetters<T>(), RecordTypeInfo.streamType(type)).setParallelism(readers)
          .uid(uid + "-dead-letters").name("avro-file damage -> dead letters");
    }
    if (spec instanceof KafkaSourceSpec) {
      // one reader per partition range; a model's records share a partition, so their order holds
      return KafkaStreams.source(env, ((KafkaSourceSpec) spec).settings(), type, DeadLetters.TAG, uid);
    }
    throw new IllegalArgumentException("no source for type " + spec.type());
  }

  /**
   * The dead letters a source itself produces (a {@code kafka} source: values that do not decode; an
   * {@code avro-file} source: damaged parts of files), or null when it produces none.
   */
  public static DataStream<DeadLetter> deadLetters(SourceSpec spec, DataStream<?> source) {
    if (spec instanceof KafkaSourceSpec || spec instanceof AvroFileSourceSpec) {
      return ((SingleOutputStreamOperator<?>) source).getSideOutput(DeadLetters.TAG);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecordBase> DataStream<T> generator(StreamExecutionEnvironment env,
      GeneratorSpec g, String uid, Class<T> type) {
    GeneratorFunction<Long, T> fn = type == LabeledTensorRecord.class
        ? (GeneratorFunction<Long, T>) new GeneratorFunctions.Labeled(g)
        : (GeneratorFunction<Long, T>) new GeneratorFunctions.Unlabeled(g);
    long count = g.bounded() ? g.count() : Long.MAX_VALUE;
    // the rate is the stream's: Flink divides it over the readers
    RateLimiterStrategy<?> rate = g.rate() > 0 ? RateLimiterStrategy.perSecond(g.rate()) : RateLimiterStrategy.noOp();
    DataGeneratorSource<T> source = new DataGeneratorSource<>(fn, new KeyGroupSequence(count, g.keys().size()),
        rate, RecordTypeInfo.streamType(type));
    // each reader owns whole keys, so as many readers as keys at most
    int readers = Math.min(Math.min(env.getParallelism(), g.keys().size()), KeyGroupSequence.MAX_GROUPS);
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator").uid(uid).setParallelism(readers);
  }
}
