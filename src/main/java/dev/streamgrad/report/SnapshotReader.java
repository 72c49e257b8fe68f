package dev.streamgrad.report;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.job.io.ContainerScan;
import dev.streamgrad.job.io.RecordFiles;
import dev.streamgrad.job.io.RunId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads the {@code FilterSnapshot} Avro files a run's sink wrote (files, or folders searched for
 * visible files) as the {@code avro-file} source reads files ({@link ContainerScan}: a damaged
 * region is reported and the records after it still read), resolving each file's schema version to
 * the current one, and groups them by run and model.
 */
public final class SnapshotReader {
  private static final String SNAPSHOT = FilterSnapshot.getClassSchema().getFullName();
  private static final String SCORE = PredictionScore.getClassSchema().getFullName();

  /**
   * The models read; what could not be read (damage, malformed parameters), one line each; and notes
   * (files of other records that were skipped).
   */
  public record Result(List<ModelHistory> models, List<String> problems, List<String> notes, int files,
      long snapshots) {}

  private SnapshotReader() {}

  /**
   * Reads every snapshot under {@code paths}, and the scorer's {@link PredictionScore} files there,
   * which add a {@link ServedLoss} series to their model. Files that hold other records (dead
   * letters, predictions) are named in the notes and skipped.
   *
   * @throws IOException if a path does not exist or a folder cannot be listed
   */
  public static Result read(List<Path> paths) throws IOException {
    List<Path> files = RecordFiles.under(paths);
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    // run id (or "" when the file name has none) -> model -> snapshots
    Map<String, Map<String, List<FilterSnapshot>>> byRun = new TreeMap<>();
    Map<String, Map<String, List<PredictionScore>>> scoresByRun = new TreeMap<>();
    long snapshots = 0;
    int snapshotFiles = 0;
    for (Path f : files) {
      String run = RunId.ofFileName(f.getFileName().toString()).orElse("");
      List<FilterSnapshot> read = new ArrayList<>();
      List<PredictionScore> scores = new ArrayList<>();
      String[] other = new String[2];
      try {
        ContainerScan.scan(f, Long.MAX_VALUE, r -> {
          if (r.getSchema().getFullName().equals(SCORE)) {
            scores.add(resolve(r, PredictionScore.getClassSchema()));
            return;
          }
          if (!r.getSchema().getFullName().equals(SNAPSHOT)) {
            other[0] = "yes";
            other[1] = r.getSchema().getName();
            return;
          }
          read.add(toSnapshot(r));
        }, damage -> problems.add(String.valueOf(damage.getReason())));
      } catch (IOException | RuntimeException e) {
        problems.add(f + ": cannot read: " + e.getMessage());
        continue;
      }
      if (other[0] != null) {
        notes.add(f + ": not filter snapshots (" + other[1] + "), skipped");
      }
      if (!read.isEmpty()) {
        snapshotFiles++;
      }
      for (PredictionScore s : scores) {
        scoresByRun.computeIfAbsent(run, k -> new TreeMap<>()).computeIfAbsent(s.getModel(), k -> new ArrayList<>())
            .add(s);
      }
      for (FilterSnapshot s : read) {
        byRun.computeIfAbsent(run, k -> new TreeMap<>()).computeIfAbsent(s.getModel(), k -> new ArrayList<>()).add(s);
        snapshots++;
      }
    }
    List<ModelHistory> models = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<FilterSnapshot>>> r : byRun.entrySet()) {
      for (Map.Entry<String, List<FilterSnapshot>> m : r.getValue().entrySet()) {
        ModelHistory h = ModelHistory.of(m.getKey(), r.getKey().isEmpty() ? null : r.getKey(), m.getValue(), problems);
        Map<String, List<PredictionScore>> runScores = scoresByRun.get(r.getKey());
        List<PredictionScore> scores = runScores == null ? null : runScores.remove(m.getKey());
        if (scores != null) {
          Map<Long, Long> records = new TreeMap<>();
          m.getValue().forEach(s -> records.put(s.getVersion(), s.getRecords()));
          h.addSeries(ServedLoss.of(scores, records));
        }
        models.add(h);
      }
    }
    scoresByRun.forEach((run, byModel) -> byModel.forEach((model, scores) -> notes.add(scores.size()
        + " scores of model " + model + (run.isEmpty() ? "" : " (run " + run + ")")
        + " have no snapshots among the files read; add the run's snapshot folder to draw them")));
    return new Result(models, problems, notes, snapshotFiles, snapshots);
  }

  /** As the avro-file source: names starting with '.' (in-progress files, locks) or '_' are not data. */
  /** A snapshot record of any schema version, resolved to the current one (missing fields get defaults). */
  static FilterSnapshot toSnapshot(GenericRecord r) {
    return resolve(r, FilterSnapshot.getClassSchema());
  }

  /** A record of any schema version as the current version's class ({@code reader}): missing fields get defaults. */
  private static <T> T resolve(GenericRecord r, Schema reader) {
    Schema writer = r.getSchema();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
      new GenericDatumWriter<GenericRecord>(writer).write(r, enc);
      enc.flush();
      SpecificDatumReader<T> datumReader = new SpecificDatumReader<>(writer, reader);
      return datumReader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
