package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.job.AvroFiles;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job through the CLI on the embedded cluster: {@code run --stop-after} stops it with a
 * savepoint, {@code run --from-savepoint} finishes it, and the final filters equal those of an
 * uninterrupted run; the output shows the web UI, progress lines and the learned-vs-true summary.
 */
class CliSavepointITCase {
  @TempDir
  Path tmp;

  private AvroFiles.Cli run(String sink, String... extra) {
    String[] base = {"run", "jobs/train-conv2d.yaml", "--web-port", "0", "--set", "source.count=6000",
        "--set", "train.snapshotEvery=1000", "--set", "sink.path=" + tmp.resolve(sink),
        "--set", "checkpoints.dir=" + tmp.resolve("cp"), "--set", "checkpoints.interval=300ms"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    AvroFiles.Cli r = AvroFiles.cli(args);
    assertThat(r.code()).as("exit code; out:%n%s%nerr:%n%s", r.out(), r.err()).isZero();
    return r;
  }

  private Map<String, FilterSnapshot> finalSnapshots(String sink) throws Exception {
    Map<String, FilterSnapshot> last = new TreeMap<>();
    for (FilterSnapshot s : AvroFiles.read(tmp.resolve(sink), FilterSnapshot.class)) {
      last.merge(s.getModel(), s, (x, y) -> y.getVersion() > x.getVersion() ? y : x);
    }
    return last;
  }

  @Test
  void stopWithSavepointThenResumeFromTheCliGivesTheUninterruptedFilters() throws Exception {
    AvroFiles.Cli whole = run("whole");
    assertThat(whole.out()).contains("Flink web UI: http://127.0.0.1:", "train-conv2d finished in",
        "model alpha: version 3000 after 3,000 records", "learned filter", "max abs error");

    AvroFiles.Cli first = run("resumed", "--set", "source.rate=1500", "--stop-after", "2s");
    assertThat(first.out()).contains("records in", "stopped with a savepoint");
    Matcher m = Pattern.compile("savepoint: (\\S+)").matcher(first.out());
    assertThat(m.find()).as("savepoint path in:%n%s", first.out()).isTrue();
    String savepoint = m.group(1);

    AvroFiles.Cli second = run("resumed", "--from-savepoint", savepoint);
    assertThat(second.out()).contains("restoring from: " + savepoint, "train-conv2d finished in");

    Map<String, FilterSnapshot> expected = finalSnapshots("whole");
    assertThat(expected).containsOnlyKeys("alpha", "beta");
    assertThat(finalSnapshots("resumed")).isEqualTo(expected);
  }

  @Test
  void aSpecErrorStartsNothingAndExitsWith2() {
    AvroFiles.Cli r = AvroFiles.cli("run", "jobs/train-conv2d.yaml", "--set", "layer.kernel=[29, 3]");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().trim()).isEqualTo(
        "jobs/train-conv2d.yaml: layer.kernel: kernel 29x3 is larger than the generator's source.shape 28x28");
    assertThat(r.out()).isEmpty();
  }
}
