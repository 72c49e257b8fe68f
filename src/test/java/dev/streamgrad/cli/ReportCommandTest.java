package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.job.AvroFiles;
import dev.streamgrad.report.SnapshotFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamgrad report}: what it writes and says, and its exit codes. */
class ReportCommandTest {
  private static final double[] TARGET = {0.5, -1.0, 0.25, 2.0, 0.0, -0.5, 1.5, -2.0, 0.75};

  @TempDir
  Path tmp;

  private Path snapshots() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("snapshots"));
    List<FilterSnapshot> s = new ArrayList<>();
    for (long v = 1; v <= 12; v++) {
      s.add(SnapshotFiles.conv2d("alpha", v, TARGET, 0.1));
      s.add(SnapshotFiles.conv2d("beta", v, TARGET, 0.1));
    }
    SnapshotFiles.write(dir, 0, s);
    return dir;
  }

  @Test
  void writesOnePageAndSaysWhatIsInIt() throws IOException {
    Path dir = snapshots();
    Path page = tmp.resolve("out/report.html");
    AvroFiles.Cli r = AvroFiles.cli("report", dir.toString(), "-o", page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("wrote " + page + ": 2 models, 24 snapshots from 1 files, 8 charts"
        + " (--spec JOB.yaml adds the generator's hidden filter)" + System.lineSeparator());
    String html = Files.readString(page);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("\"model\":\"alpha\"", "\"model\":\"beta\"",
        "Apache ECharts 5.3.1");
  }

  @Test
  void withTheJobSpecTheGeneratorsHiddenFilterIsDrawn() throws IOException {
    Path page = tmp.resolve("report.html");
    AvroFiles.Cli r = AvroFiles.cli("report", snapshots().toString(), "-o", page.toString(), "--spec",
        "jobs/train-conv2d.yaml", "--set", "source.count=1000");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("12 charts, with the generator's hidden filter");
    assertThat(Files.readString(page)).contains("\"hidden\":{\"parameter\":\"filter\"");
  }

  @Test
  void missingInputsBadSpecsAndEmptyFoldersHaveTheirExitCodes() throws IOException {
    AvroFiles.Cli missing = AvroFiles.cli("report", tmp.resolve("none").toString(), "-o", tmp.resolve("r.html").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo(tmp.resolve("none") + ": no such file or folder" + System.lineSeparator());

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    AvroFiles.Cli nothing = AvroFiles.cli("report", empty.toString(), "-o", tmp.resolve("r.html").toString());
    assertThat(nothing.code()).isEqualTo(1);
    assertThat(nothing.err()).contains("no filter snapshots in " + empty + "; nothing written");
    assertThat(tmp.resolve("r.html")).doesNotExist();

    AvroFiles.Cli setAlone = AvroFiles.cli("report", empty.toString(), "--set", "a=b");
    assertThat(setAlone.code()).isEqualTo(2);
    assertThat(setAlone.err()).isEqualTo("streamgrad report: --set needs --spec JOB.yaml (see 'streamgrad help report')"
        + System.lineSeparator());

    AvroFiles.Cli badSpec = AvroFiles.cli("report", snapshots().toString(), "-o", tmp.resolve("r.html").toString(),
        "--spec", "jobs/train-conv2d.yaml", "--set", "train.optimizer.lr=-1");
    assertThat(badSpec.code()).isEqualTo(2);
    assertThat(badSpec.err()).contains("train.optimizer.lr");
  }

  @Test
  void damagedInputIsReportedAndThePageStillWrittenFromTheRest() throws IOException {
    Path dir = snapshots();
    Path damaged = SnapshotFiles.write(dir, 1, List.of(SnapshotFiles.conv2d("gamma", 1, TARGET, 0.1),
        SnapshotFiles.conv2d("gamma", 2, TARGET, 0.1)));
    byte[] bytes = Files.readAllBytes(damaged);
    for (int i = bytes.length - 60; i < bytes.length - 20; i++) {
      bytes[i] = (byte) 0xff;
    }
    Files.write(damaged, bytes);
    Path page = tmp.resolve("r.html");
    AvroFiles.Cli r = AvroFiles.cli("report", dir.toString(), "-o", page.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).contains(damaged.getFileName().toString());
    assertThat(r.out()).startsWith("wrote " + page + ": 2 models, 24 snapshots");
    assertThat(page).exists();
  }
}
