package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.cli.Main;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The embedded cluster's network buffers bound the parallelism it can run. The arithmetic was checked
 * against real runs (2 cores, Flink 2.3, 128 KB segments), at the limit and one above it with the
 * check switched off, for two versions of the sources: with a one-reader generator, train-conv2d ran
 * at parallelism 255 and failed at 256 with "Insufficient number of network buffers", a 30-file
 * avro-file source ran at 21 and failed at 22, train-and-predict ran at 17 and failed at 18; with a
 * reader per key and per file, 170/171, 18/19 and 16/17.
 */
class EmbeddedClusterTest {
  private static final String GENERATOR_TRAIN = String.join("\n",
      "source: {type: generator, count: 10, keys: [a, b]}",
      "layer: {type: conv2d, kernel: [3, 3]}",
      "train: {optimizer: {type: sgd, lr: 0.1}}",
      "sink: {type: print}",
      "");

  private static JobSpec parse(String yaml, int parallelism) throws SpecException {
    return JobSpecParser.parse("j.yaml", "j", yaml, List.of("parallelism=" + parallelism));
  }

  @Test
  void theEmbeddedClusterHas512BuffersOf128Kilobytes() throws SpecException {
    // Flink's local-execution default of 64 MB network memory, in JobConfig.SEGMENT_SIZE segments
    assertThat(EmbeddedCluster.networkBuffers(parse(GENERATOR_TRAIN, 2))).isEqualTo(512);
  }

  @Test
  void everyShippedJobRunsAtItsLimitAndIsRejectedAboveIt() throws SpecException {
    for (String job : new String[] {"train-conv2d", "train-and-predict", "serve-and-score", "conv2d-forward"}) {
      JobSpec s = JobSpecParser.parse(Path.of("jobs/" + job + ".yaml"), List.of());
      int limit = EmbeddedCluster.maxParallelism(s);
      assertThat(limit).as(job).isGreaterThanOrEqualTo(s.parallelism());
      EmbeddedCluster.checkParallelism(JobSpecParser.parse(Path.of("jobs/" + job + ".yaml"),
          List.of("parallelism=" + limit)));
      JobSpec over = JobSpecParser.parse(Path.of("jobs/" + job + ".yaml"), List.of("parallelism=" + (limit + 1)));
      assertThat(EmbeddedCluster.requiredBuffers(over)).isGreaterThan(512);
      assertThatThrownBy(() -> EmbeddedCluster.checkParallelism(over)).isInstanceOf(SpecException.class)
          .hasMessage("jobs/" + job + ".yaml: parallelism: " + (limit + 1) + " is more than the embedded cluster can"
              + " run for this job: at most " + limit + " (its 512 network buffers of 128 KB hold the exchanges of"
              + " parallelism " + limit + "; parallelism " + (limit + 1) + " needs "
              + String.format(java.util.Locale.ROOT, "%,d", EmbeddedCluster.requiredBuffers(over))
              + " buffers). Run it on a Flink cluster (flink run) for more");
    }
  }

  @Test
  void anAllToAllExchangeNeedsTheSquareOfTheParallelism(@TempDir Path dir) throws IOException, SpecException {
    for (int i = 0; i < 30; i++) {
      Files.copy(Path.of("samples/labeled.avro"), dir.resolve("f" + i + ".avro"));
    }
    String files = GENERATOR_TRAIN.replace("{type: generator, count: 10, keys: [a, b]}",
        "{type: avro-file, path: " + dir + "}");
    // min(p, 30) readers, each a partition of p subpartitions to the trainers (and more for the
    // dead letters): the requirement grows with the square of the parallelism
    long at10 = EmbeddedCluster.requiredBuffers(parse(files, 10));
    long at20 = EmbeddedCluster.requiredBuffers(parse(files, 20));
    assertThat(at10).isGreaterThanOrEqualTo(10L * 11 + 10);
    assertThat(at20).isGreaterThanOrEqualTo(20L * 21 + 20).isGreaterThan(3 * at10);
    int limit = EmbeddedCluster.maxParallelism(parse(files, 2));
    assertThat(limit).isLessThan(22);
    EmbeddedCluster.checkParallelism(parse(files, limit));
    assertThatThrownBy(() -> EmbeddedCluster.checkParallelism(parse(files, limit + 1)))
        .hasMessageContaining((limit + 1) + " is more than the embedded cluster can run for this job: at most " + limit);
  }

  @Test
  void runExitsWith2BeforeStartingACluster(@TempDir Path dir) throws IOException {
    // the case: parallelism 1000 failed the running job with Flink's network-buffer error
    Path f = Files.writeString(dir.resolve("job.yaml"), GENERATOR_TRAIN + "parallelism: 1000\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("run", f.toString(), "--web-port", "0")).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().trim()).startsWith(f + ": parallelism: 1000 is more than the embedded cluster can run"
        + " for this job: at most ").endsWith(" buffers). Run it on a Flink cluster (flink run) for more");
    assertThat(out.toString()).doesNotContain("Flink web UI");
  }
}
