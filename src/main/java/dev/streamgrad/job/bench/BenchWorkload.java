package dev.streamgrad.job.bench;

import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.io.RecordFiles;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.kafka.KafkaRecordWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What the bench runs: a training spec whose source is its own generator, or the generator's records
 * written to Avro files or a Kafka topic before the clock starts, as {@code --set} overrides of the
 * spec, so that every run is a plain {@code run} of that spec. Sinks go to a temporary folder (a new
 * one per run), deleted by {@link #close}, which also deletes the Kafka topic the bench created.
 */
public final class BenchWorkload implements AutoCloseable {
  private static final int ADMIN_TIMEOUT_SECONDS = 60;
  private final Path specFile;
  private final List<String> overrides;
  private final Path tmp;
  private final long records;
  private final String description;
  private final GeneratorSpec generator;
  /** The Kafka topic the bench created and its broker, or nulls. */
  private final String bootstrap;
  private final String topic;

  private BenchWorkload(Path specFile, List<String> overrides, Path tmp, long records, String description,
      GeneratorSpec generator, String bootstrap, String topic) {
    this.specFile = specFile;
    this.overrides = overrides;
    this.tmp = tmp;
    this.records = records;
    this.description = description;
    this.generator = generator;
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  /**
   * Prepares the workload: checks the spec, writes the input files or topic ({@code out} says what
   * it is doing, as this takes a while for a million records).
   *
   * @throws SpecException when the spec, with the bench's overrides, is not a training job with a generator
   */
  public static BenchWorkload prepare(Path specFile, String source, long records, String dtype, Integer parallelism,
      int files, String codec, Path input, String bootstrap, Map<String, String> kafkaProperties,
      List<String> userOverrides, PrintWriter out)
      throws SpecException, IOException {
    List<String> base = new ArrayList<>(userOverrides);
    base.add("source.count=" + records);
    base.add("source.dtype=" + dtype);
    if (parallelism != null) {
      base.add("parallelism=" + parallelism);
    }
    JobSpec spec = JobSpecParser.parse(specFile, base);
    if (spec.train() == null || spec.predict() != null || !(spec.source() instanceof GeneratorSpec)) {
      throw new IllegalArgumentException(specFile + ": the bench needs a training job with a generator source and no"
          + " predict section (the generator's records are what every --source reads)");
    }
    GeneratorSpec g = (GeneratorSpec) spec.source();
    if (!List.of("generator", "avro-file", "kafka").contains(source)) {
      throw new IllegalArgumentException("--source must be generator, avro-file or kafka, got '" + source + "'");
    }
    if (source.equals("kafka") && bootstrap == null) {
      throw new IllegalArgumentException("--source kafka needs --bootstrap HOST:PORT");
    }
    if (!source.equals("kafka") && !kafkaProperties.isEmpty()) {
      throw new IllegalArgumentException("--kafka-property is for --source kafka");
    }
    Path tmp = Files.createTempDirectory("streamgrad-bench");
    List<String> o = new ArrayList<>(base);
    String what;
    String topic = null;
    long n = records;
    switch (source) {
      case "generator":
        what = "generator";
        break;
      case "avro-file":
        if (input != null) {
          n = countRecords(input);
          what = "avro-file " + input + " (" + n + " records)";
        } else {
          out.printf(Locale.ROOT, "writing %,d records to Avro files (codec %s) in %s ...%n", records, codec, tmp);
          out.flush();
          Files.createDirectories(tmp.resolve("input"));
          List<Path> written = RecordFiles.writeLabeled(g, tmp.resolve("input"), files, CodecFactory.fromString(codec),
              DataFileConstants.DEFAULT_SYNC_INTERVAL);
          input = tmp.resolve("input");
          what = "avro-file, " + written.size() + (written.size() == 1 ? " file" : " files") + " written by Java's"
              + " DataFileWriter (codec " + codec + ", default sync interval)";
        }
        o.add("source={type: avro-file, path: '" + input.toAbsolutePath() + "'}");
        break;
      case "kafka":
        topic = "streamgrad-bench-" + UUID.randomUUID();
        out.printf(Locale.ROOT, "writing %,d records to Kafka topic %s at %s ...%n", records, topic, bootstrap);
        out.flush();
        fillTopic(bootstrap, topic, spec.parallelism(), g, out);
        String props = kafkaProperties.entrySet().stream().map(e -> e.getKey() + ": '" + e.getValue() + "'")
            .collect(Collectors.joining(", ", ", properties: {", "}"));
        o.add("source={type: kafka, bootstrapServers: '" + bootstrap + "', topic: '" + topic
            + "', startingOffsets: earliest, bounded: true" + (kafkaProperties.isEmpty() ? "" : props) + "}");
        what = "kafka topic " + topic + " (" + spec.parallelism() + " partitions, the models dealt over them,"
            + " single-object encoding)";
        break;
      default:
        throw new IllegalArgumentException("--source must be generator, avro-file or kafka, got '" + source + "'");
    }
    JobSpecParser.parse(specFile, o);
    String description = String.format(Locale.ROOT, "bench %s: %s; %,d %s %dx%d records, %d models, parallelism %d,"
        + " %d cores", specFile, what, n, dtype, g.shape()[0], g.shape()[1], g.keys().size(), spec.parallelism(),
        Runtime.getRuntime().availableProcessors());
    return new BenchWorkload(specFile, o, tmp, n, description, g, source.equals("kafka") ? bootstrap : null, topic);
  }

  /** The spec of run {@code i}, with sinks in a folder of its own. */
  public JobSpec spec(int i) throws SpecException {
    List<String> o = new ArrayList<>(overrides);
    Path dir = tmp.resolve("run" + (i < 0 ? "-warmup" + (-i) : i));
    o.add("sink={type: avro-file, path: '" + dir.resolve("snapshots") + "'}");
    o.add("deadLetters={type: avro-file, path: '" + dir.resolve("dead-letters") + "'}");
    o.add("checkpoints=null");
    return JobSpecParser.parse(specFile, o);
  }

  /** The {@code run} command line that runs the same job (sinks under {@code out/bench}, replaced each time). */
  public String runCommand() {
    StringBuilder b = new StringBuilder("run ").append(specFile);
    for (String s : overrides) {
      b.append(" --set \"").append(s).append('"');
    }
    return b.append(" --set sink.path=out/bench/snapshots --overwrite").toString();
  }

  public long records() {
    return records;
  }

  public String describe() {
    return description;
  }

  public int[] inputShape() {
    return generator.shape();
  }

  public int[] kernelShape() {
    double[][] f = generator.trueFilter();
    return new int[] {f.length, f[0].length};
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> walk = Files.walk(tmp)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
    if (topic != null) {
      // a million records are 6 to 12 GB on the broker's disk
      try (Admin admin = admin(bootstrap)) {
        admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException("cannot delete the bench's topic " + topic + " at " + bootstrap + ": " + e.getMessage(),
            e);
      }
    }
  }

  private static long countRecords(Path input) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(input)) {
      files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }
    long n = 0;
    for (Path f : files) {
      try (DataFileReader<Object> r = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
        while (r.hasNext()) {
          n += r.getBlockCount();
          r.nextBlock();
        }
      }
    }
    return n;
  }

  /**
   * A new topic with one partition per reader; records in stream order, keyed by model, the models
   * dealt over the partitions (model {@code k} to partition {@code k % partitions}) as {@code avro-file}
   * deals them over files: Kafka's hash of the key put both of the main job's models in one partition,
   * which left one reader idle.
   */
  private static void fillTopic(String bootstrap, String topic, int partitions, GeneratorSpec g, PrintWriter out)
      throws IOException {
    try (Admin admin = admin(bootstrap)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
          .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("cannot create topic " + topic + " at " + bootstrap + ": " + e.getMessage(), e);
    }
    SyntheticRecords records = new SyntheticRecords(g);
    int keys = g.keys().size();
    long start = System.nanoTime();
    try (KafkaRecordWriter<LabeledTensorRecord> w = new KafkaRecordWriter<>(bootstrap, topic,
        LabeledTensorRecord.class)) {
      for (long i = 0; i < g.count(); i++) {
        // record i belongs to model i % keys (SyntheticRecords)
        w.send(records.labeled(i), (int) (i % keys) % partitions);
      }
      w.flush();
    }
    double s = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "wrote %,d records in %.1f s (%,.0f records/s, generating included)%n", g.count(), s,
        g.count() / s);
    out.flush();
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
