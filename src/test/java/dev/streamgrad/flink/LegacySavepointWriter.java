package dev.streamgrad.flink;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.optim.OptimizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Writes the savepoint that {@code TrainerStateCompatibilityITCase} restores: the training job of
 * {@link #build} stopped with a savepoint in the middle of its input. Run once with the release
 * whose state layout is to stay readable, and commit its output:
 *
 * <pre>
 * mvn -B -q test-compile
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.streamgrad.flink.LegacySavepointWriter \
 *     src/test/resources/savepoints/trainer-conv2d-0.x
 * </pre>
 *
 * The committed {@code trainer-conv2d-0.x} was written at commit b165e22 (fdac7a0 plus the
 * FilterSnapshot v2 schema), before the generic trainer: its {@code TrainerState} held
 * {@code filter}, {@code bias}, the kernel size and the pending mini-batch's gradients in fields of
 * their own. Run today, this writes the state-dict layout.
 */
public final class LegacySavepointWriter {
  static final int RECORDS = 600;
  static final int MODELS = 3;
  static final Queue<FilterSnapshot> OUT = CollectingSink.queue("legacy");

  private LegacySavepointWriter() {}

  public static void main(String[] args) throws Exception {
    Path target = Paths.get(args[0]);
    Path tmp = Files.createTempDirectory("legacy-savepoint");
    JobClient job = build(RateLimiterStrategy.perSecond(200), null).executeAsync("legacy");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (OUT.size() < 12 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String savepoint = job.stopWithSavepoint(false, tmp.toUri().toString(), SavepointFormatType.CANONICAL)
        .get(60, TimeUnit.SECONDS);
    Path from = Paths.get(java.net.URI.create(savepoint));
    Files.createDirectories(target);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    System.out.println("savepoint after " + OUT.size() + " snapshots: " + target);
    System.exit(0);
  }

  /** The job: {@link #MODELS} models, conv2d 3x3 from seed 11, Adam (amsgrad), mini-batches of 3, a loss guard. */
  static StreamExecutionEnvironment build(RateLimiterStrategy<?> rate, String savepoint) {
    Map<String, String> settings = new HashMap<>();
    settings.put("state.backend.type", "hashmap");
    settings.put("pipeline.generic-types", "false");
    settings.put("restart-strategy.type", "none");
    if (savepoint != null) {
      settings.put("execution.state-recovery.path", savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings));
    env.setMaxParallelism(128);
    env.setParallelism(2);
    TrainConfig train = new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0, true), 3, 5, null,
        new LossGuard(100, 20, 5, 10));
    Operators.train(env.fromSource(new DataGeneratorSource<>(new Generate(), RECORDS, rate,
            new AvroTypeInfo<>(LabeledTensorRecord.class)), WatermarkStrategy.noWatermarks(), "labeled")
        .setParallelism(1).uid(Uids.SOURCE), Conv2dSpec.seeded(3, 3, 11), train)
        .sinkTo(new CollectingSink("legacy")).setParallelism(1).uid(Uids.SINK);
    return env;
  }

  /** Record i: model {@code m<i % MODELS>}, seq {@code i / MODELS}, 10x10 input and 8x8 target from seed i. */
  static final class Generate implements GeneratorFunction<Long, LabeledTensorRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public LabeledTensorRecord map(Long i) {
      return TestRecords.random("m" + (i % MODELS), i / MODELS, new Random(i), 10, 10, 3, 3);
    }
  }
}
