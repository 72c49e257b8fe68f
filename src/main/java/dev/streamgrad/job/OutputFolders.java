package dev.streamgrad.job;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.flink.Uids;
import dev.streamgrad.job.io.RunId;
import dev.streamgrad.job.spec.AvroFileSinkSpec;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.SinkSpec;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The local folders of a run's {@code avro-file} sinks (output, predictions, dead letters), claimed
 * before the job starts so that runs never mix: a folder that holds an earlier run's files is
 * refused, appended to or overwritten ({@link ExistingOutput}); in-progress files that a killed run
 * left behind are reported and deleted; and while an embedded run lasts, it holds a lock on each
 * folder ({@value #LOCK_FILE}), so that a second run into the same folder is refused instead of
 * deleting the first one's in-progress files. {@link #close()} releases the locks.
 */
public final class OutputFolders implements AutoCloseable {
  /** Hidden (so that readers and the {@code avro-file} source skip it), kept after the run. */
  static final String LOCK_FILE = ".streamgrad.lock";
  private static final List<String> SINK_UIDS = List.of(Uids.SINK, Uids.PREDICT_SINK, Uids.DEAD_LETTER_SINK);

  /** A sink folder: the key that names it in the spec, its path as written, and where it is. */
  private record Folder(String key, String path, Path dir) {}

  private final List<FileChannel> locks = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private OutputFolders() {}

  /**
   * Claims the folders of {@code spec}'s local {@code avro-file} sinks for run {@code runId}.
   * {@code resuming}: the run restores a savepoint and continues its first leg's output (nothing
   * is refused or deleted there: in-progress files may be pending commits the savepoint refers to).
   * {@code exclusive}: lock the folders and delete in-progress leftovers (the embedded run, which
   * lives as long as its job; a {@code flink run} client does not).
   *
   * @throws SpecException (exit code 2) naming the spec, the sink's key and the folder
   */
  public static OutputFolders claim(JobSpec spec, String runId, ExistingOutput mode, boolean resuming,
      boolean exclusive) throws SpecException {
    OutputFolders f = new OutputFolders();
    try {
      for (Folder folder : localFolders(spec)) {
        f.claim(spec, folder, runId, mode, resuming, exclusive);
      }
      return f;
    } catch (SpecException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /** What the claim did, one line each, to print before the job starts. */
  public List<String> notes() {
    return notes;
  }

  /** The local {@code avro-file} sink folders, each once (the first sink that writes to it names it). */
  private static Collection<Folder> localFolders(JobSpec spec) {
    Map<Path, Folder> byDir = new LinkedHashMap<>();
    addLocal(byDir, spec.sink(), "sink.path");
    if (spec.predict() != null) {
      addLocal(byDir, spec.predict().sink(), "predict.sink.path");
      if (spec.predict().scoring() != null) {
        addLocal(byDir, spec.predict().scoring().scores(), "predict.scores.path");
      }
    }
    addLocal(byDir, spec.deadLetters(), "deadLetters.path");
    if (spec.driftEvents() != null) {
      addLocal(byDir, spec.driftEvents(), "train.drift.events.path");
    }
    return byDir.values();
  }

  private static void addLocal(Map<Path, Folder> byDir, SinkSpec sink, String key) {
    if (sink instanceof AvroFileSinkSpec) {
      String path = ((AvroFileSinkSpec) sink).path();
      Path dir = path.startsWith("file:") ? Path.of(URI.create(path)) : path.contains("://") ? null : Path.of(path);
      if (dir != null) {
        dir = dir.toAbsolutePath().normalize();
        byDir.putIfAbsent(dir, new Folder(key, path, dir));
      }
    }
  }

  private void claim(JobSpec spec, Folder folder, String runId, ExistingOutput mode, boolean resuming,
      boolean exclusive) throws SpecException {
    String key = folder.key();
    String path = folder.path();
    Path dir = folder.dir();
    List<Path> visible = new ArrayList<>();
    List<Path> inProgress = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      if (exclusive) {
        lock(spec, key, path, dir, runId);
      }
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path p : entries.sorted().toList()) {
          String name = p.getFileName().toString();
          if (name.startsWith(".") && name.contains(".inprogress")) {
            inProgress.add(p);
          } else if (!name.startsWith(".") && !name.startsWith("_")) {
            visible.add(p);
          }
        }
      }
    } catch (IOException e) {
      throw new SpecException(spec.file(), key, "cannot use the folder " + path + ": " + reason(e));
    }
    if (resuming) {
      return;
    }
    if (!visible.isEmpty()) {
      earlierOutput(spec, key, path, visible, mode);
    }
    if (exclusive && !inProgress.isEmpty()) {
      delete(spec, key, path, inProgress);
      notes.add("removed " + count(inProgress.size(), "in-progress file")
          + runs(inProgress, " that an interrupted run", " that interrupted runs") + " left in " + path);
    }
  }

  private void earlierOutput(JobSpec spec, String key, String path, List<Path> visible, ExistingOutput mode)
      throws SpecException {
    String what = count(visible.size(), "file") + runs(visible, " of an earlier run", " of earlier runs");
    switch (mode) {
      case REFUSE:
        throw new SpecException(spec.file(), key, path + " already holds " + what
            + "; add --overwrite to replace them, or --append to add this run's files next to them");
      case APPEND:
        notes.add(path + " holds " + what + "; this run adds its own next to them (--append)");
        return;
      case OVERWRITE:
        for (Path p : visible) {
          if (!writtenBySink(p)) {
            throw new SpecException(spec.file(), key, path + " holds " + p.getFileName()
                + ", which no streamgrad sink wrote: not overwriting; empty the folder or choose another");
          }
        }
        delete(spec, key, path, visible);
        notes.add("removed " + what + " from " + path + " (--overwrite)");
        return;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static boolean writtenBySink(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && name.endsWith(".avro")
        && SINK_UIDS.stream().anyMatch(u -> name.startsWith(u + "-"));
  }

  private void lock(JobSpec spec, String key, String path, Path dir, String runId) throws IOException, SpecException {
    Path file = dir.resolve(LOCK_FILE);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip().replace('\n', ' ');
      throw new SpecException(spec.file(), key, path + " is being written by another streamgrad run ("
          + ConsoleText.oneLine(holder, 200) + "); wait for it to end, or choose another folder");
    }
    locks.add(ch);
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(("run " + runId + ", job " + spec.name() + ", pid " + ProcessHandle.current().pid()
        + ", started " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)));
    ch.force(false);
  }

  private static void delete(JobSpec spec, String key, String path, List<Path> files) throws SpecException {
    for (Path p : files) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        throw new SpecException(spec.file(), key, "cannot delete " + new File(path, p.getFileName().toString())
            + ": " + reason(e));
      }
    }
  }

  /**
   * {@code one} or {@code many}, whichever fits the run ids in the files' names, followed by
   * {@code " (run R)"} or {@code " (runs R1, R2)"} (the newest three); files without run ids count as one run.
   */
  private static String runs(List<Path> files, String one, String many) {
    TreeSet<String> ids = new TreeSet<>();
    files.forEach(p -> RunId.ofFileName(p.getFileName().toString()).ifPresent(ids::add));
    if (ids.isEmpty()) {
      return one;
    }
    List<String> shown = new ArrayList<>(ids).subList(Math.max(0, ids.size() - 3), ids.size());
    return (ids.size() == 1 ? one + " (run " : many + " (runs ") + (ids.size() > 3 ? "..., " : "")
        + String.join(", ", shown) + ")";
  }

  private static String reason(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return e.getMessage() + " is not a folder";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder: " + e.getMessage();
    }
    return ConsoleText.oneLine(String.valueOf(e.getMessage()), ConsoleText.MESSAGE_CHARS);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  @Override
  public void close() {
    for (FileChannel ch : locks) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing releases the lock; nothing else to do
      }
    }
    locks.clear();
  }
}
