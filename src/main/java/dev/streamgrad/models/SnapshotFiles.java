package dev.streamgrad.models;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.io.ContainerScan;
import dev.streamgrad.job.io.RecordFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the trainer's {@code FilterSnapshot} files (or folders of them: a snapshots sink's folder)
 * into a {@link SnapshotExport.Index}, as {@code inspect} reads them, for every command and spec key
 * that takes snapshots. A damaged region fails the read (the newest version could be in it); a file
 * of other records is refused with its record type; hidden files (in-progress sink files) are skipped.
 */
public final class SnapshotFiles {
  private SnapshotFiles() {}

  /** Why snapshots could not be read; {@link #missing()} when a path does not exist (a usage error). */
  public static final class SnapshotFilesException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean missing;

    SnapshotFilesException(String message, boolean missing) {
      super(message);
      this.missing = missing;
    }

    /** Whether a given path does not exist. */
    public boolean missing() {
      return missing;
    }
  }

  /** Every snapshot in {@code paths} (files, or folders walked in name order). */
  public static SnapshotExport.Index read(List<Path> paths) throws SnapshotFilesException {
    SnapshotExport.Index index = new SnapshotExport.Index();
    for (Path f : files(paths)) {
      String type = recordType(f);
      if (type != null && !type.equals(FilterSnapshot.getClassSchema().getFullName())) {
        throw new SnapshotFilesException(shown(f) + " holds " + type + " records, not "
            + FilterSnapshot.getClassSchema().getFullName() + " (give the snapshots' files or folder)", false);
      }
      List<DeadLetter> damage = new ArrayList<>();
      List<SnapshotExport.SelectionException> conflicts = new ArrayList<>();
      try {
        ContainerScan.scan(f, FilterSnapshot.class, Long.MAX_VALUE, s -> {
          try {
            index.add(s);
          } catch (SnapshotExport.SelectionException e) {
            conflicts.add(e);
          }
        }, damage::add);
      } catch (IOException | RuntimeException e) {
        throw new SnapshotFilesException(shown(f) + ": cannot read: " + e.getMessage(), false);
      }
      if (!damage.isEmpty()) {
        throw new SnapshotFilesException(damage.get(0).getReason() + (damage.size() > 1 ? " (and "
            + (damage.size() - 1) + " more damaged regions)" : "") + "; the newest snapshots could be in it,"
            + " so nothing is exported or loaded", false);
      }
      if (!conflicts.isEmpty()) {
        throw new SnapshotFilesException(shown(f) + ": " + conflicts.get(0).getMessage(), false);
      }
    }
    return index;
  }

  private static List<Path> files(List<Path> paths) throws SnapshotFilesException {
    try {
      return RecordFiles.under(paths);
    } catch (NoSuchFileException e) {
      throw new SnapshotFilesException(shown(Path.of(e.getFile())) + ": no such file or folder", true);
    } catch (FileSystemException e) {
      throw new SnapshotFilesException(shown(Path.of(e.getFile())) + ": " + e.getReason(), false);
    } catch (IOException e) {
      throw new SnapshotFilesException(e.getMessage(), false);
    }
  }


  /** The full name of the records in Avro container file {@code f}, or null when its header cannot be read. */
  private static String recordType(Path f) {
    try (DataFileReader<GenericRecord> r = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
      return r.getSchema().getFullName();
    } catch (IOException | RuntimeException e) {
      return null; // the scan reports it as damage
    }
  }

  private static String shown(Path p) {
    return ConsoleText.escape(p.toString());
  }
}
