package dev.streamgrad.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.kafka.KafkaRecordReader;
import dev.streamgrad.kafka.KafkaRecordWriter;
import dev.streamgrad.modelstate.ModelSavepoints;
import dev.streamgrad.modelstate.ModelSources;
import dev.streamgrad.modelstate.StartingPoint;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * streamgrad on a real Flink standalone session cluster and a real Kafka broker (KRaft), each a
 * separate process on loopback, started from Maven Central jars (no Docker); the job jar that
 * {@code mvn package} built is submitted over REST and with the CLI front end.
 *
 * <p>The reference: a bounded run over all labeled records (REST, hashmap state). The live run
 * (CLI, RocksDB state) reads the same records, produced while it runs; its TaskManager is killed
 * with SIGKILL and replaced mid-stream; it is stopped with a savepoint over REST once half the input
 * is trained on, and resumed from that savepoint over REST with parallelism 1 instead of 2 for the
 * rest. Its snapshots, read with {@code read_committed}, must equal the reference's: same versions,
 * bit-identical filters, none duplicated or missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterKafkaITCase {
  private static final int PER_MODEL = 400;
  private static final int SNAPSHOT_EVERY = 50;
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final Path JOB_JAR = Path.of("target", "streamgrad-job.jar");

  private static ManagedProcesses processes;
  private static FlinkStandalone flink;
  private static KafkaBroker kafka;
  private static Path run;

  @BeforeAll
  static void startClusterAndBroker() throws Exception {
    assertThat(JOB_JAR).as("built by mvn package").isRegularFile();
    Path base = Path.of("target", "cluster-it");
    deleteRecursively(base); // logs and data of the previous run only; this run's stay for diagnosis
    run = Files.createDirectories(base.resolve("run-" + System.currentTimeMillis())).toAbsolutePath();
    processes = new ManagedProcesses();
    boolean started = false;
    try {
      Path flinkLib = ClusterLibs.flink();
      Path kafkaLib = ClusterLibs.kafka();
      kafka = new KafkaBroker(run.resolve("kafka"), kafkaLib, processes);
      flink = new FlinkStandalone(run.resolve("flink"), flinkLib, processes);
      // the broker and the cluster start side by side: each takes 10-30 s on a busy machine
      CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> {
        try {
          kafka.start();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      flink.start(1);
      broker.get(4, TimeUnit.MINUTES);
      started = true;
    } finally {
      if (!started) {
        processes.close();
      }
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @AfterAll
  static void stopEverything() {
    if (processes != null) {
      processes.close();
    }
  }

  @Test
  @Order(1)
  void clusterAcceptsWebSubmissionAndBrokerRoundTripsRecords() throws Exception {
    assertThat(flink.rest().get("/config").path("features").path("web-submit").asBoolean()).isTrue();
    assertThat(flink.rest().get("/taskmanagers").path("taskmanagers").size()).isEqualTo(1);

    kafka.createTopics(2, "roundtrip");
    List<LabeledTensorRecord> sent = new ArrayList<>();
    try (KafkaRecordWriter<LabeledTensorRecord> w =
        new KafkaRecordWriter<>(kafka.bootstrapServers(), "roundtrip", LabeledTensorRecord.class)) {
      for (int i = 0; i < 20; i++) {
        LabeledTensorRecord r = TrainingData.labeled("m" + (i % 3), i / 3);
        sent.add(r);
        w.send(r);
      }
      w.sendRaw(null, new byte[] {1, 2, 3});
      w.flush();
    }
    KafkaRecordReader.Contents<LabeledTensorRecord> read = KafkaRecordReader.readAll(
        kafka.bootstrapServers(), "roundtrip", LabeledTensorRecord.class, Duration.ofSeconds(30));
    assertThat(read.records()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(read.undecodable()).singleElement().asString().contains("not Avro single-object encoding");
    // a model's records stay in order: they share a partition
    for (String model : List.of("m0", "m1", "m2")) {
      assertThat(read.records().stream().filter(r -> r.getModel().equals(model)).map(LabeledTensorRecord::getSeq))
          .isSorted();
    }

    // `inspect --kafka` shows a topic as JSON lines, undecodable values on stderr
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = new picocli.CommandLine(new dev.streamgrad.cli.Main()).setOut(new java.io.PrintWriter(out))
        .setErr(new java.io.PrintWriter(err)).execute("inspect", "--kafka", kafka.bootstrapServers(), "roundtrip");
    assertThat(code).isZero();
    assertThat(out.toString().lines()).hasSize(20).allSatisfy(l -> assertThat(l).startsWith("{").contains("\"model\""));
    assertThat(err.toString()).contains("undecodable roundtrip-").contains("not Avro single-object encoding");
  }

  @Test
  @Order(2)
  void generateWritesLabeledRecordsToKafkaInOrder() throws Exception {
    kafka.createTopics(2, "generated");
    int code = dev.streamgrad.cli.Main.execute("generate", "--kafka", kafka.bootstrapServers(),
        "--labeled-topic", "generated", "--labeled", "40", "--unlabeled", "0", "--keys", "model-a,model-b",
        "--shape", "16x16", "--seed", "42", "--true-filter-seed", "43");
    assertThat(code).isZero();
    List<LabeledTensorRecord> read = KafkaRecordReader.readAll(
        kafka.bootstrapServers(), "generated", LabeledTensorRecord.class, WAIT).records();
    List<LabeledTensorRecord> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add(TrainingData.learnable(i));
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(expected);
    for (String model : TrainingData.MODELS) {
      assertThat(read.stream().filter(r -> r.getModel().equals(model)).map(LabeledTensorRecord::getSeq)).isSorted();
    }
  }

  @Test
  @Order(3)
  void trainsFromKafkaSurvivesKill9AndResumesFromASavepointWithIdenticalSnapshots() throws Exception {
    String brokers = kafka.bootstrapServers();
    kafka.createTopics(2, "labeled-all", "labeled-live", "snap-ref", "snap-live", "dead-ref", "dead-live");
    int total = PER_MODEL * TrainingData.MODELS.size();
    byte[] garbage = "this is not a record".getBytes(StandardCharsets.UTF_8);
    try (KafkaRecordWriter<LabeledTensorRecord> w =
        new KafkaRecordWriter<>(brokers, "labeled-all", LabeledTensorRecord.class)) {
      for (int i = 0; i < total; i++) {
        w.send(TrainingData.learnable(i));
        if (i == 10) {
          w.sendRaw("model-a".getBytes(StandardCharsets.UTF_8), garbage);
        }
      }
      w.flush();
    }

    // reference: bounded, submitted over REST (the main runs inside the JobManager)
    String jarId = flink.rest().uploadJar(JOB_JAR);
    Path refSpec = spec("ref", "labeled-all", true, "snap-ref", "dead-ref", "hashmap");
    String refJob = flink.rest().runJar(jarId, List.of("run", refSpec.toString()), 2, null);
    flink.rest().awaitJobState(refJob, Set.of("FINISHED"), WAIT);
    List<FilterSnapshot> reference = snapshots("snap-ref");
    Map<String, List<Long>> versions = SnapshotTopics.versionsByModel(reference);
    List<Long> expected = new ArrayList<>();
    for (long v = SNAPSHOT_EVERY; v <= PER_MODEL; v += SNAPSHOT_EVERY) {
      expected.add(v);
    }
    assertThat(versions).containsOnlyKeys(TrainingData.MODELS);
    versions.values().forEach(v -> assertThat(v).isEqualTo(expected));
    assertLearnedTheHiddenFilter(reference);
    // train.init's topic source takes a model's newest snapshot from the topic (docs/models.md)
    List<FilterSnapshot> refA = SnapshotTopics.ofModel(reference, "model-a");
    FilterSnapshot newestA = refA.get(refA.size() - 1);
    StartingPoint fromTopic = ModelSources.snapshotTopic(brokers, "snap-ref", "model-a", null, WAIT);
    assertThat(fromTopic.version()).isEqualTo(newestA.getVersion());
    assertThat(fromTopic.params().get("filter")).containsExactly(SnapshotParameters.of(newestA).get("filter").toArray());

    List<DeadLetter> dead = KafkaRecordReader.readAll(brokers, "dead-ref", DeadLetter.class, WAIT).records();
    assertThat(dead).singleElement().satisfies(d -> {
      assertThat(d.getStage()).isEqualTo("source-decode");
      assertThat(d.getReason()).contains("labeled-all-").contains("not Avro single-object encoding");
      assertThat(d.getKey()).isEqualTo("model-a");
      assertThat(d.getPayload().array()).isEqualTo(garbage);
    });

    // live: unbounded, on the other state backend, submitted with `flink run -d`; first half
    // produced while it runs
    Path liveSpec = spec("live", "labeled-live", false, "snap-live", "dead-live", "rocksdb");
    String liveJob = flink.cliRun(JOB_JAR, 2, null, "run", liveSpec.toString());
    flink.rest().awaitAllTasksRunning(liveJob, WAIT);
    CompletableFuture<Void> producer = SnapshotTopics.produce(brokers, "labeled-live", 0, total / 2, 15);
    // kill while records flow: after the first snapshots are committed, mid-way through the first half
    awaitCheckpoints(liveJob, 2);
    awaitVersion("snap-live", SNAPSHOT_EVERY);
    Process victim = flink.taskManagers().get(0);
    ManagedProcesses.kill9(victim);
    flink.startTaskManager();
    producer.get(2, TimeUnit.MINUTES);
    awaitVersion("snap-live", PER_MODEL / 2);
    assertThat(flink.rest().restored(liveJob)).as("restored from a checkpoint after kill -9").isPositive();

    // stop with a savepoint over REST, produce the rest, resume over REST from the savepoint
    String savepoint = flink.rest().stopWithSavepoint(liveJob, run.resolve("savepoints"), WAIT);
    flink.rest().awaitJobState(liveJob, Set.of("FINISHED"), WAIT);
    // the cluster's rocksdb savepoint, read offline (export --savepoint): every model, mid-way
    Map<String, TrainerState> inSavepoint = ModelSavepoints.read(savepoint, "rocksdb");
    assertThat(inSavepoint).containsOnlyKeys(TrainingData.MODELS);
    inSavepoint.values().forEach(st -> assertThat(st.version).isBetween((long) PER_MODEL / 2, (long) PER_MODEL - 1));
    SnapshotTopics.produce(brokers, "labeled-live", total / 2, total, 0).get(2, TimeUnit.MINUTES);
    // resumed with parallelism 1 (was 2): both models' state lands in one subtask
    String resumed = flink.rest().runJar(jarId, List.of("run", liveSpec.toString(), "--set", "parallelism=1"), 1,
        savepoint);
    flink.rest().awaitAllTasksRunning(resumed, WAIT);
    assertThat(flink.rest().get("/jobs/" + resumed + "/checkpoints").path("latest").path("restored")
        .path("is_savepoint").asBoolean()).as("resumed from the savepoint").isTrue();
    assertThat(flink.rest().get("/jobs/" + resumed).path("vertices")).allSatisfy(
        v -> assertThat(v.path("parallelism").asInt()).isEqualTo(1));
    awaitVersion("snap-live", PER_MODEL);
    flink.rest().cancel(resumed);

    List<FilterSnapshot> live = snapshots("snap-live");
    for (String model : TrainingData.MODELS) {
      assertThat(SnapshotTopics.ofModel(live, model)).as(model + ": same versions, bit-identical filters, nothing duplicated")
          .isEqualTo(SnapshotTopics.ofModel(reference, model));
    }
  }

  @Test
  @Order(4)
  void trainsAUserWrittenLayerWhoseJarIsOnTheJobsClasspath() throws Exception {
    Path exampleJar = Path.of("examples", "residual-tanh", "target", "residual-tanh.jar");
    assertThat(exampleJar).as("built by the maven-invoker-plugin before the integration tests").isRegularFile();
    String brokers = kafka.bootstrapServers();
    kafka.createTopics(2, "snap-ext", "dead-ext");
    String yaml = String.join("\n",
        "name: extension",
        "parallelism: 2",
        "source: {type: generator, count: 2000, keys: [alpha, beta], shape: [10, 10], seed: 3, trueFilter: {seed: 4}}",
        "layer: {type: residual-tanh, kernel: [3, 3], seed: 1}",
        "train: {optimizer: {type: adam, lr: 0.01}, snapshotEvery: 250}",
        "sink: {type: kafka, bootstrapServers: '" + brokers + "', topic: snap-ext, transactionalIdPrefix: ext-snap}",
        "deadLetters: {type: kafka, bootstrapServers: '" + brokers + "', topic: dead-ext, transactionalIdPrefix: ext-dead}",
        "checkpoints: {interval: 500ms, dir: '" + run.resolve("checkpoints").resolve("extension").toUri() + "'}",
        "");
    Path spec = run.resolve("extension.yaml");
    Files.writeString(spec, yaml);
    // the layer's jar reaches the client (spec parsing) and the task managers through flink run -C
    String job = flink.cliRun(JOB_JAR, 2, null, List.of(exampleJar), "run", spec.toString());
    flink.rest().awaitJobState(job, Set.of("FINISHED"), WAIT);
    List<FilterSnapshot> snaps = snapshots("snap-ext");
    assertThat(SnapshotTopics.versionsByModel(snaps)).containsOnlyKeys("alpha", "beta")
        .allSatisfy((model, versions) -> assertThat(versions).containsExactly(250L, 500L, 750L, 1000L));
    for (FilterSnapshot s : snaps) {
      assertThat(s.getLayer()).isEqualTo("residual-tanh");
      assertThat(s.getParameters()).extracting(p -> p.getName()).containsExactly("weight", "bias", "scale", "skip");
    }
  }

  private static void assertLearnedTheHiddenFilter(List<FilterSnapshot> snapshots) throws Exception {
    for (String model : TrainingData.MODELS) {
      List<FilterSnapshot> mine = SnapshotTopics.ofModel(snapshots, model);
      FilterSnapshot last = mine.get(mine.size() - 1);
      Tensor filter = TensorCodec.decode(last.getFilter());
      for (int r = 0; r < TrainingData.KERNEL; r++) {
        for (int c = 0; c < TrainingData.KERNEL; c++) {
          assertThat(filter.get(r, c)).as(model + " filter[" + r + "][" + c + "]")
              .isCloseTo(TrainingData.TRUE[r][c], within(1e-2));
        }
      }
      assertThat(last.getBias()).as(model + " bias").isCloseTo(TrainingData.TRUE[TrainingData.KERNEL][0], within(1e-2));
      assertThat(last.getRecords()).isEqualTo(PER_MODEL);
    }
  }

  private static void awaitCheckpoints(String jobId, long n) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (flink.rest().completedCheckpoints(jobId) < n) {
      assertThat(System.nanoTime()).as("%d checkpoints of %s", n, jobId).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Waits until every model's snapshot of {@code version} is committed to {@code topic}. */
  private static void awaitVersion(String topic, long version) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Map<String, List<Long>> versions = SnapshotTopics.versionsByModel(snapshots(topic));
      boolean all = true;
      for (String model : TrainingData.MODELS) {
        all &= versions.getOrDefault(model, List.of()).contains(version);
      }
      if (all) {
        return;
      }
      assertThat(System.nanoTime()).as("version %d of every model in %s, have %s; processes:%n%s",
          version, topic, versions, processes.describe()).isLessThan(deadline);
      Thread.sleep(1000);
    }
  }

  private static List<FilterSnapshot> snapshots(String topic) throws Exception {
    return SnapshotTopics.read(kafka.bootstrapServers(), topic, WAIT);
  }

  /** A training spec reading {@code in} and writing snapshots and dead letters to Kafka. */
  private static Path spec(String name, String in, boolean bounded, String snapshots, String dead, String backend)
      throws Exception {
    String brokers = kafka.bootstrapServers();
    String yaml = String.join("\n",
        "name: " + name,
        "parallelism: 2",
        "source: {type: kafka, bootstrapServers: '" + brokers + "', topic: " + in + ", groupId: " + name
            + ", bounded: " + bounded + "}",
        "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
        "train: {loss: mse, optimizer: {type: sgd, lr: 0.01}, batchSize: 1, snapshotEvery: " + SNAPSHOT_EVERY + "}",
        "sink: {type: kafka, bootstrapServers: '" + brokers + "', topic: " + snapshots
            + ", transactionalIdPrefix: " + name + "-snapshots}",
        "deadLetters: {type: kafka, bootstrapServers: '" + brokers + "', topic: " + dead
            + ", transactionalIdPrefix: " + name + "-dead}",
        "checkpoints: {interval: 500ms, dir: '" + run.resolve("checkpoints").resolve(name).toUri()
            + "', backend: " + backend + "}",
        "");
    Path file = run.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
