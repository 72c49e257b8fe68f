package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs never mix in a sink folder: refused, appended to or overwritten, and killed runs' leftovers go. */
class OutputFoldersTest {
  private static final String EARLIER = "sink-20261129-084401-3f2a9c-2133901b-cb13-45be-a14d-73abb44836bc-0.avro";
  private static final String IN_PROGRESS =
      ".sink-20261129-084401-3f2a9c-2133901b-cb13-45be-a14d-73abb44836bc-1.avro.inprogress.f9f3f895";

  @TempDir
  Path tmp;
  Path out;
  JobSpec spec;

  @BeforeEach
  void spec() throws IOException, SpecException {
    out = tmp.resolve("out");
    Path f = Files.writeString(tmp.resolve("job.yaml"), "source: {type: generator, count: 10, shape: [6, 6]}\n"
        + "layer: {type: conv2d, kernel: [3, 3]}\n"
        + "train: {optimizer: {type: sgd, lr: 0.1}}\n"
        + "sink: {type: avro-file, path: " + out + "}\n");
    spec = JobSpecParser.parse(f, List.of());
  }

  private List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** What a run that was killed after its first checkpoint leaves: a committed and an in-progress file. */
  private void earlierRunLeftFiles() throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve(EARLIER), "x");
    Files.writeString(out.resolve(IN_PROGRESS), "x");
  }

  private OutputFolders claim(ExistingOutput mode, boolean resuming) throws SpecException {
    return OutputFolders.claim(spec, "20261130-000000-000001", mode, resuming, true);
  }

  @Test
  void newFoldersAreMadeAndLockedAndNothingIsSaid() throws Exception {
    try (OutputFolders f = claim(ExistingOutput.REFUSE, false)) {
      assertThat(f.notes()).isEmpty();
      assertThat(files(out)).containsExactly(OutputFolders.LOCK_FILE);
      assertThat(files(tmp.resolve("out-dead-letters"))).containsExactly(OutputFolders.LOCK_FILE);
    }
  }

  @Test
  void anEarlierRunsOutputIsRefusedNamingTheFolderAndTheWaysOut() throws Exception {
    earlierRunLeftFiles();
    assertThatThrownBy(() -> claim(ExistingOutput.REFUSE, false)).isInstanceOf(SpecException.class)
        .hasMessage(spec.file() + ": sink.path: " + out + " already holds 1 file of an earlier run"
            + " (run 20261129-084401-3f2a9c); add --overwrite to replace them, or --append to add this run's files"
            + " next to them");
    assertThat(files(out)).as("nothing deleted").contains(EARLIER, IN_PROGRESS);
    // the refused claim released its locks: the next one gets them
    claim(ExistingOutput.APPEND, false).close();
  }

  @Test
  void appendKeepsEarlierFilesAndCleansUpInProgressOnes() throws Exception {
    earlierRunLeftFiles();
    try (OutputFolders f = claim(ExistingOutput.APPEND, false)) {
      assertThat(f.notes()).containsExactly(
          out + " holds 1 file of an earlier run (run 20261129-084401-3f2a9c); this run adds its own next to them"
              + " (--append)",
          "removed 1 in-progress file that an interrupted run (run 20261129-084401-3f2a9c) left in " + out);
    }
    assertThat(files(out)).containsExactly(OutputFolders.LOCK_FILE, EARLIER);
  }

  @Test
  void overwriteDeletesOnlyWhatSinksWroteAndRefusesOtherFiles() throws Exception {
    Files.createDirectories(out);
    Files.writeString(out.resolve(EARLIER), "x");
    Files.writeString(out.resolve("dead-letter-sink-0a.avro"), "x");
    try (OutputFolders f = claim(ExistingOutput.OVERWRITE, false)) {
      assertThat(f.notes()).containsExactly("removed 2 files of an earlier run (run 20261129-084401-3f2a9c) from "
          + out + " (--overwrite)");
    }
    assertThat(files(out)).containsExactly(OutputFolders.LOCK_FILE);

    Files.writeString(out.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> claim(ExistingOutput.OVERWRITE, false)).isInstanceOf(SpecException.class)
        .hasMessageEndingWith(out + " holds notes.txt, which no streamgrad sink wrote: not overwriting;"
            + " empty the folder or choose another");
    assertThat(files(out)).contains("notes.txt");
  }

  @Test
  void aResumedRunContinuesItsFirstLegsOutputAndKeepsItsPendingFiles() throws Exception {
    earlierRunLeftFiles();
    try (OutputFolders f = claim(ExistingOutput.REFUSE, true)) {
      assertThat(f.notes()).isEmpty();
    }
    assertThat(files(out)).contains(EARLIER, IN_PROGRESS);
  }

  @Test
  void aFolderInUseByAnotherRunIsRefused() throws Exception {
    try (OutputFolders first = claim(ExistingOutput.REFUSE, false)) {
      assertThat(first.notes()).isEmpty();
      assertThatThrownBy(() -> claim(ExistingOutput.APPEND, false)).isInstanceOf(SpecException.class)
          .hasMessageContaining(out + " is being written by another streamgrad run (run 20261130-000000-000001, job ")
          .hasMessageEndingWith("wait for it to end, or choose another folder");
    }
    claim(ExistingOutput.REFUSE, false).close();
  }

  @Test
  void aSinkPathThatIsAFileIsReported() throws Exception {
    Files.writeString(out, "a file");
    assertThatThrownBy(() -> claim(ExistingOutput.REFUSE, false)).isInstanceOf(SpecException.class)
        .hasMessage(spec.file() + ": sink.path: cannot use the folder " + out + ": " + out + " is not a folder");
  }
}
