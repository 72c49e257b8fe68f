package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/streamgrad} as a user's shell runs it, one process per command:
 * exit codes, one-line errors without stack traces, a job failure's root cause, a closed pipe, and
 * runs that never mix in a sink folder.
 */
class CommandProcessITCase {
  private static final String MAIN_JOB = Path.of("jobs", "train-conv2d.yaml").toAbsolutePath().toString();

  @TempDir
  Path tmp;

  private static void oneLineError(Commands.Result r, int code, String line) {
    assertThat(r.code()).as(r.describe()).isEqualTo(code);
    assertThat(r.errLines()).as(r.describe()).containsExactly(line);
  }

  /** The main job, small: 400 records, a snapshot every 100 updates, outputs under {@code tmp}. */
  private Commands.Result mainJob(String sink, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", MAIN_JOB, "--web-port", "0", "--set", "source.count=400",
        "--set", "train.snapshotEvery=100", "--set", "sink.path=" + tmp.resolve(sink)));
    args.addAll(List.of(more));
    return Commands.streamgrad(tmp, args.toArray(new String[0]));
  }

  private Commands.Result inspect(Path folder) throws Exception {
    Commands.Result r = Commands.streamgrad(tmp, "inspect", folder.toString());
    assertThat(r.code()).as(r.describe()).isZero();
    return r;
  }

  private static TreeSet<String> runs(Commands.Result inspect) {
    TreeSet<String> runs = new TreeSet<>();
    Matcher m = Pattern.compile("^\\{\"@run\":\"([0-9a-f-]+)\"", Pattern.MULTILINE).matcher(inspect.out());
    while (m.find()) {
      runs.add(m.group(1));
    }
    return runs;
  }

  @Test
  void usageAndSpecErrorsAreOneLineOnStderrWithExitCode2() throws Exception {
    oneLineError(Commands.streamgrad(tmp, "run"), 2,
        "streamgrad run: Missing required parameter: 'JOB.yaml' (see 'streamgrad help run')");
    oneLineError(Commands.streamgrad(tmp, "inspect", "--limit", "-5", "x.avro"), 2,
        "streamgrad inspect: --limit must be 0 or more, got -5 (see 'streamgrad help inspect')");
    oneLineError(Commands.streamgrad(tmp, "run", MAIN_JOB, "--set", "train.optimizer.lr=-1"), 2,
        MAIN_JOB + ": train.optimizer.lr: must be > 0, got -1");
    oneLineError(Commands.streamgrad(tmp, "run", "absent.yaml"), 2, "absent.yaml: no such file");
    oneLineError(Commands.streamgrad(tmp, "inspect", "absent.avro"), 2, "absent.avro: no such file or folder");
    Commands.Result ok = Commands.streamgrad(tmp, "run", "--help");
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("Usage: streamgrad run ").contains("--overwrite", "--append", "--verbose");
  }

  @Test
  void aFailedJobPrintsItsRootCauseInAShortParagraphAndTheTraceOnlyWhenVerbose() throws Exception {
    Path notASavepoint = Files.createDirectories(tmp.resolve("not-a-savepoint"));
    Commands.Result r = mainJob("out", "--from-savepoint", notASavepoint.toString());
    assertThat(r.code()).as(r.describe()).isEqualTo(1);
    assertThat(r.errLines()).as(r.describe()).hasSize(2);
    assertThat(r.errLines().get(0)).startsWith("job train-conv2d failed: FileNotFoundException: ")
        .contains(notASavepoint.toString());
    assertThat(r.errLines().get(1)).isEqualTo("(run again with --verbose for the stack trace; Flink's log: "
        + Path.of("target", "it-logs", "streamgrad.log").toAbsolutePath() + ")");
    assertThat(r.out() + r.err()).as("no stack trace, no log lines").doesNotContain("\tat ", "ERROR", "Exception:\n");

    Commands.Result verbose = mainJob("out", "--from-savepoint", notASavepoint.toString(), "--verbose");
    assertThat(verbose.code()).isEqualTo(1);
    assertThat(verbose.err()).contains("job train-conv2d failed: FileNotFoundException: ",
        "\tat org.apache.flink.", "Caused by: ");
  }

  @Test
  void inspectStopsQuietlyWhenItsReaderGoesAway() throws Exception {
    Commands.Result gen = Commands.streamgrad(tmp, "generate", "--out", "in", "--labeled", "20000", "--unlabeled", "0");
    assertThat(gen.code()).as(gen.describe()).isZero();
    assertThat(tmp.resolve("in/labeled.avro")).as("relative to the working directory").isRegularFile();

    Path err = tmp.resolve("inspect.err");
    ProcessBuilder pb = new ProcessBuilder(Commands.LAUNCHER.toString(), "inspect", "in").directory(tmp.toFile())
        .redirectError(err.toFile());
    Process p = pb.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).startsWith("{\"model\":\"model-0\",\"seq\":0,");
    } // as `| head -1` does: the pipe closes while 19,999 records are still to come
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("ends soon after the pipe closes").isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(err)).isEmpty();
  }

  @Test
  void aSecondRunIntoTheSameFolderIsRefusedUnlessAppendOrOverwriteSaySo() throws Exception {
    Path out = tmp.resolve("out");
    Commands.Result first = mainJob("out");
    assertThat(first.code()).as(first.describe()).isZero();
    assertThat(first.out()).contains("train-conv2d finished in");
    String firstRun = runs(inspect(out)).first();
    String alpha200 = "\"model\":\"alpha\",\"version\":200,";
    long version200 = inspect(out).out().lines().filter(l -> l.contains(alpha200)).count();
    assertThat(version200).isPositive();

    oneLineError(mainJob("out"), 2, MAIN_JOB + ": sink.path: " + out + " already holds 2 files of an earlier run (run "
        + firstRun + "); add --overwrite to replace them, or --append to add this run's files next to them");
    assertThat(runs(inspect(out))).containsExactly(firstRun);

    Commands.Result appended = mainJob("out", "--append");
    assertThat(appended.code()).as(appended.describe()).isZero();
    TreeSet<String> both = runs(inspect(out));
    assertThat(both).hasSize(2).contains(firstRun);
    // each record says which run wrote it: the same models and versions, twice, told apart
    assertThat(inspect(out).out().lines().filter(l -> l.contains(alpha200)))
        .hasSize(2 * (int) version200);

    Commands.Result overwritten = mainJob("out", "--overwrite");
    assertThat(overwritten.code()).as(overwritten.describe()).isZero();
    assertThat(overwritten.out()).contains("removed 4 files of earlier runs");
    TreeSet<String> last = runs(inspect(out));
    assertThat(last).hasSize(1).doesNotContainAnyElementsOf(both);
  }

  @Test
  void aKilledRunsInProgressFilesAreReportedAndRemovedByTheNextRun() throws Exception {
    Path out = tmp.resolve("killed");
    List<String> command = List.of(Commands.LAUNCHER.toString(), "run", MAIN_JOB, "--web-port", "0",
        "--set", "source.count=null", "--set", "source.rate=200", "--set", "train.snapshotEvery=5",
        "--set", "checkpoints.interval=1h", "--set", "checkpoints.dir=" + tmp.resolve("cp"),
        "--set", "sink.path=" + out);
    Process killed = Commands.start(tmp, Map.of(), command, tmp.resolve("killed.out"), tmp.resolve("killed.err"));
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (inProgress(out).isEmpty()) {
        assertThat(killed.isAlive()).as("the run is still going: %s", Files.readString(tmp.resolve("killed.err")))
            .isTrue();
        assertThat(System.nanoTime()).as("an in-progress file within 2 minutes").isLessThan(deadline);
        Thread.sleep(200);
      }
    } finally {
      killed.destroyForcibly(); // kill -9: no chance to clean up
      assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
    List<String> leftovers = inProgress(out);
    assertThat(leftovers).isNotEmpty();

    Commands.Result next = mainJob("killed", "--append");
    assertThat(next.code()).as(next.describe()).isZero();
    assertThat(next.out()).containsPattern("note: removed \\d+ in-progress files? that an interrupted run \\(run "
        + "\\d{8}-\\d{6}-[0-9a-f]{6}\\) left in " + Pattern.quote(out.toString()));
    assertThat(inProgress(out)).isEmpty();
  }

  private static List<String> inProgress(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".inprogress")).toList();
    }
  }
}
