package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench} end to end on tiny workloads (the figures themselves come from the documented
 * command, not from a test): it runs the main job's spec through the same runner as {@code run}, from
 * each kind of source, checks that every record was read and none dead-lettered, reports warm-up runs
 * without counting them and a CPU profile by stage, and rejects bad options with exit code 2 before
 * any job starts.
 */
class BenchCommandITCase {
  private record Outcome(int code, String out, String err) {}

  private static Outcome bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Outcome(cli.execute(all), out.toString(), err.toString());
  }

  @Test
  void runsTheMainJobSpecAndReportsTheMedianOfTheTimedRunsAndAProfile() {
    Outcome o = bench("--records", "3000", "--runs", "2", "--warmup", "1", "--python", "none",
        "--set", "source.shape=[12, 12]");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("bench jobs/train-conv2d.yaml: generator; 3,000 float32 12x12 records, 2 models, parallelism 2")
        .contains("reproduce a run with: streamgrad run jobs/train-conv2d.yaml --set \"source.shape=[12, 12]\"")
        .containsPattern("warm-up 1 \\(fresh JVM, as `run`\\): 3,000 records in [0-9.]+ s")
        .containsPattern("run 1: 3,000 records")
        .containsPattern("run 2: 3,000 records")
        .containsPattern("median of 2: [0-9,]+ records/s whole job")
        .containsPattern("trainer +[0-9.]+ us")
        .containsPattern("source read \\+ decode +[0-9.]+ us")
        .doesNotContain("run 3")
        .doesNotContain("tutorial loop");
  }

  @Test
  void readsTheSameRecordsFromAvroFilesWrittenFirst() {
    Outcome o = bench("--source", "avro-file", "--files", "2", "--codec", "deflate", "--records", "2001", "--runs", "1",
        "--warmup", "0", "--python", "none", "--dtype", "float64", "--set", "source.shape=[10, 10]");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("avro-file, 2 files written by Java's DataFileWriter (codec deflate")
        .contains("2,001 float64 10x10 records")
        .containsPattern("run 1: 2,001 records");
  }

  @Test
  void badOptionsAreRejectedBeforeAnyJob() {
    for (List<String> args : List.of(List.of("--runs", "0"), List.of("--warmup", "-1"), List.of("--records", "0"),
        List.of("--python-records", "0"), List.of("--source", "socket"), List.of("--source", "kafka"),
        List.of("--dtype", "int8"), List.of("jobs/fft-features.yaml"), List.of("--kafka-property", "a=b"),
        List.of("--broker-pid", Long.toString(Long.MAX_VALUE)))) {
      Outcome o = bench(args.toArray(String[]::new));
      assertThat(o.code()).as(args.toString()).isEqualTo(2);
      assertThat(o.err()).as(args.toString()).isNotBlank();
      assertThat(o.out()).as(args.toString()).doesNotContain("records/s");
    }
  }
}
