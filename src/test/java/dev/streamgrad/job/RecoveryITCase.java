package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.flink.Operators;
import dev.streamgrad.flink.Uids;
import dev.streamgrad.job.io.Sinks;
import dev.streamgrad.job.io.Sources;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trained filters survive stop-with-savepoint and resume (also at another parallelism), a
 * failure in the middle of the stream (the file sink's output equals a failure-free run's), and a
 * job that keeps failing ends after a bounded number of restarts instead of looping.
 */
class RecoveryITCase {
  private static final String SPEC = String.join("\n",
      "name: recovery",
      "parallelism: 2",
      "source: {type: generator, count: 3000, keys: [a, b, c], shape: [10, 10], seed: 8, trueFilter: {seed: 9}}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 2}}",
      "train: {optimizer: {type: sgd, lr: 0.02, momentum: 0.9}, snapshotEvery: 250}",
      "sink: {type: avro-file, path: unused}",
      "checkpoints: {interval: 200ms, dir: unused}",
      "");

  @TempDir
  Path tmp;

  private JobSpec spec(String... sets) throws Exception {
    List<String> all = new ArrayList<>(List.of("checkpoints.dir=" + tmp.resolve("cp"),
        "sink.path=" + tmp.resolve("out")));
    all.addAll(List.of(sets));
    return JobSpecParser.parse("recovery.yaml", "recovery", SPEC, all);
  }

  private static JobRunner.Result run(JobSpec spec, String savepoint, Duration stopAfter) throws Exception {
    StringWriter text = new StringWriter();
    JobRunner.Result r = new JobRunner(spec, new PrintWriter(text)).webPorts("0")
        .progressEvery(Duration.ofMillis(200)).fromSavepoint(savepoint).stopAfter(stopAfter).run();
    if (stopAfter != null && r.outcome() != JobRunner.Outcome.STOPPED_WITH_SAVEPOINT) {
      throw new AssertionError("not stopped with a savepoint; the run printed:\n" + text);
    }
    return r;
  }

  @ParameterizedTest(name = "parallelism {0} -> {1}")
  @ValueSource(strings = {"2,1,hashmap", "1,2,rocksdb"})
  void stopWithSavepointAndResumeAtAnotherParallelismGivesTheUninterruptedFilters(String params) throws Exception {
    String[] p = params.split(",");
    Map<String, FilterSnapshot> uninterrupted = run(spec("checkpoints.backend=" + p[2],
        "sink.path=" + tmp.resolve("uninterrupted")), null, null).progress().latestSnapshots();
    assertThat(uninterrupted).containsOnlyKeys("a", "b", "c");
    assertThat(uninterrupted.values()).allSatisfy(s -> assertThat(s.getVersion()).isEqualTo(1000));

    JobRunner.Result stopped = run(spec("parallelism=" + p[0], "source.rate=1000", "checkpoints.backend=" + p[2]),
        null, Duration.ofMillis(1500));
    assertThat(stopped.outcome()).isEqualTo(JobRunner.Outcome.STOPPED_WITH_SAVEPOINT);
    assertThat(stopped.progress().recordsIn()).isBetween(1L, 2999L);

    JobRunner.Result resumed = run(spec("parallelism=" + p[1], "checkpoints.backend=" + p[2]), stopped.savepoint(), null);
    assertThat(resumed.outcome()).isEqualTo(JobRunner.Outcome.FINISHED);
    assertThat(resumed.progress().recordsIn()).as("only the rest is read again")
        .isEqualTo(3000 - stopped.progress().recordsIn());
    // each model's newest snapshot, from whichever leg emitted it: the generator's readers each own
    // whole models, so a model can finish before the stop (a slow savepoint lets the readers go on)
    Map<String, FilterSnapshot> newest = new java.util.TreeMap<>(stopped.progress().latestSnapshots());
    resumed.progress().latestSnapshots().forEach((m, s) -> newest.merge(m, s,
        (a, b) -> b.getVersion() >= a.getVersion() ? b : a));
    assertThat(newest).isEqualTo(uninterrupted);
  }

  /** Throws once, after two completed checkpoints and {@code after} records; chained to the source. */
  static final class FailOnce implements MapFunction<LabeledTensorRecord, LabeledTensorRecord>, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger CHECKPOINTS = new AtomicInteger();
    private final long after;
    private long seen;

    FailOnce(long after) {
      this.after = after;
    }

    @Override
    public LabeledTensorRecord map(LabeledTensorRecord r) {
      if (++seen >= after && CHECKPOINTS.get() >= 2 && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure after " + seen + " records");
      }
      return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTS.incrementAndGet();
    }
  }

  private List<FilterSnapshot> runWithFileSink(JobSpec spec, Path out, long failAfter) throws Exception {
    Configuration conf = JobConfig.of(spec, null);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(spec.parallelism());
    DataStream<LabeledTensorRecord> in = Sources.labeled(env, spec.source(), Uids.SOURCE);
    if (failAfter > 0) {
      in = in.map(new FailOnce(failAfter)).returns(in.getType()).setParallelism(1).uid("fail-once");
    }
    Sinks.add(Operators.train(in, spec.layer(), spec.train()), new dev.streamgrad.job.spec.AvroFileSinkSpec(out.toString()),
        FilterSnapshot.class, Uids.SINK);
    env.execute("fail-once");
    List<FilterSnapshot> all = AvroFiles.read(out, FilterSnapshot.class);
    all.sort(Comparator.comparing(FilterSnapshot::getModel).thenComparing(FilterSnapshot::getVersion));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void aFailureInTheMiddleChangesNoSnapshotInTheFileSink(String backend) throws Exception {
    JobSpec spec = spec("source.rate=1500", "checkpoints.interval=100ms", "checkpoints.backend=" + backend,
        "checkpoints.dir=" + tmp.resolve("cp-" + backend));
    List<FilterSnapshot> clean = runWithFileSink(spec, tmp.resolve("clean-" + backend), 0);
    FailOnce.FAILED.set(false);
    FailOnce.CHECKPOINTS.set(0);
    long failAfter = 1200 + new java.util.Random().nextInt(900);
    List<FilterSnapshot> failed = runWithFileSink(spec, tmp.resolve("failed-" + backend), failAfter);

    assertThat(FailOnce.FAILED).as("the failure was injected").isTrue();
    assertThat(clean).hasSize(12); // 3 models x versions 250, 500, 750, 1000
    assertThat(failed).as("same versions, bit-identical filters, nothing duplicated or missing").isEqualTo(clean);
  }

  /** Fails every record: the job must end after the bounded restarts. */
  static final class AlwaysFail implements MapFunction<LabeledTensorRecord, LabeledTensorRecord> {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Override
    public LabeledTensorRecord map(LabeledTensorRecord r) {
      ATTEMPTS.incrementAndGet();
      throw new IllegalStateException("always fails");
    }
  }

  @Test
  void aJobThatKeepsFailingEndsAfterTheBoundedRestarts() throws Exception {
    JobSpec spec = spec("source.count=null");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(JobConfig.of(spec, null));
    env.setParallelism(1);
    DataStream<LabeledTensorRecord> in = Sources.labeled(env, spec.source(), Uids.SOURCE);
    in.map(new AlwaysFail()).returns(in.getType()).sinkTo(new DiscardingSink<>());
    assertThatThrownBy(() -> env.execute("always-fails")).hasStackTraceContaining("always fails");
    assertThat(AlwaysFail.ATTEMPTS.get()).isEqualTo(JobConfig.RESTART_ATTEMPTS + 1);
  }
}
