package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one listing of record files that inspect, export and report share. */
class RecordFilesListingTest {
  @Test
  void foldersAreWalkedSortedWithoutHiddenAndMarkerFiles(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("out/2026-12-06--14"));
    Files.writeString(out.resolve("part-b.avro"), "");
    Files.writeString(out.resolve("part-a.avro"), "");
    Files.writeString(out.resolve(".part-c.avro.inprogress"), "");
    Files.writeString(dir.resolve("out/_SUCCESS"), "");
    Path single = Files.writeString(dir.resolve("_given.avro"), "");

    assertThat(RecordFiles.under(List.of(dir.resolve("out"), single)))
        .containsExactly(out.resolve("part-a.avro"), out.resolve("part-b.avro"), single);
  }

  @Test
  void aMissingPathIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> RecordFiles.under(List.of(dir.resolve("absent"))))
        .isInstanceOf(NoSuchFileException.class)
        .satisfies(e -> assertThat(((NoSuchFileException) e).getFile()).isEqualTo(dir.resolve("absent").toString()));
  }
}
