package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench} end to end on a tiny workload (the figures themselves come from the documented
 * command, not from a test): every record is trained on, warm-up runs are reported but not counted,
 * and bad options end with exit code 2 before any job starts.
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
  void trainsEveryRecordAndReportsTheMedianOfTheTimedRuns() {
    Outcome o = bench("--records", "3000", "--runs", "2", "--warmup", "1", "--python", "none", "--size", "12");
    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains("3,000 labeled 12x12 float32 records, 3x3 filter, 2 models, parallelism 2")
        .containsPattern("warm-up 1 \\(not counted\\): 3,000 records in [0-9.]+ s")
        .containsPattern("run 1: 3,000 records")
        .containsPattern("run 2: 3,000 records")
        .containsPattern("streamgrad median: [0-9,]+ records/s")
        .doesNotContain("run 3")
        .doesNotContain("tutorial loop");
  }

  @Test
  void badOptionsAreRejectedBeforeAnyJob() {
    for (List<String> args : List.of(List.of("--runs", "0"), List.of("--warmup", "-1"), List.of("--kernel", "40"),
        List.of("--python-records", "0"), List.of("--records", "1", "--models", "2"))) {
      Outcome o = bench(args.toArray(String[]::new));
      assertThat(o.code()).as(args.toString()).isEqualTo(2);
      assertThat(o.err()).as(args.toString()).contains("need --records >= --models >= 1");
      assertThat(o.out()).as(args.toString()).doesNotContain("records/s");
    }
  }

  @Test
  void modelKeysAreSpreadOverTheTrainerSubtasks() {
    List<String> keys = BenchCommand.spreadKeys(4, 2);
    int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(2);
    assertThat(keys).hasSize(4).doesNotHaveDuplicates();
    for (int i = 0; i < keys.size(); i++) {
      assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(keys.get(i), maxParallelism, 2)).isEqualTo(i % 2);
    }
    assertThat(BenchCommand.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(BenchCommand.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
