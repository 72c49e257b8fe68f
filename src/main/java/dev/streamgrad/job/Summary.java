package dev.streamgrad.job;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.io.Sinks;
import dev.streamgrad.job.spec.AvroFileSinkSpec;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.modelstate.WarmStartLayer;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The text {@link JobRunner} prints: what runs, the progress line, and the final summary. Model
 * names come from records, so they are printed escaped and cut ({@link ConsoleText#name}).
 */
public final class Summary {
  private Summary() {}

  static String describe(JobSpec spec, String fromSavepoint, String runId) {
    StringBuilder b = new StringBuilder();
    b.append("job ").append(spec.name()).append(" (").append(ConsoleText.escape(spec.file())).append("), run ")
        .append(runId).append(", parallelism ").append(spec.parallelism()).append('\n');
    b.append("  source: ").append(spec.source()).append('\n');
    b.append("  layer:  ").append(spec.layer()).append('\n');
    if (spec.train() != null) {
      b.append("  train:  ").append(spec.train()).append('\n');
    }
    if (spec.layer() instanceof WarmStartLayer warm) {
      b.append("  init:   ").append(warm.describe()).append('\n');
    }
    b.append("  output: ").append(Sinks.describe(spec.sink())).append('\n');
    if (spec.predict() != null) {
      b.append("  predictions: ").append(Sinks.describe(spec.predict().sink())).append('\n');
      if (spec.predict().scoring() != null) {
        b.append("  scores: ").append(Sinks.describe(spec.predict().scoring().scores())).append('\n');
      }
    }
    b.append("  dead letters: ").append(Sinks.describe(spec.deadLetters()))
        .append(spec.deadLettersDefaulted() ? " (default)" : "").append('\n');
    if (spec.driftEvents() != null) {
      b.append("  drift events: ").append(Sinks.describe(spec.driftEvents())).append('\n');
    }
    b.append("  checkpoints: ").append(spec.checkpoints() == null ? "off"
        : "every " + spec.checkpoints().interval().toMillis() + " ms in " + spec.checkpoints().dir() + " ("
            + spec.checkpoints().backend() + ")");
    if (fromSavepoint != null) {
      b.append('\n').append("  restoring from: ").append(fromSavepoint);
    }
    return b.toString();
  }

  /** Models a progress line names; the others are counted. */
  static final int PROGRESS_MODELS = 4;

  static String progressLine(double seconds, long records, double rate, Progress p) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs] records in %,d (%,.0f/s)",
        seconds, records, rate));
    Map<String, FilterSnapshot> latest = p.latestSnapshots();
    latest.entrySet().stream().limit(PROGRESS_MODELS).forEach(e -> b.append(String.format(Locale.ROOT,
        " | %s v%d loss %.3g%s", ConsoleText.name(e.getKey()), e.getValue().getVersion(), e.getValue().getLoss(),
        evaluation(e.getValue()))));
    if (latest.size() > PROGRESS_MODELS) {
      b.append(String.format(Locale.ROOT, " | %,d more models", latest.size() - PROGRESS_MODELS));
    }
    if (p.recordsOut() > 0) {
      b.append(String.format(Locale.ROOT, " | out %,d", p.recordsOut()));
    }
    b.append(String.format(Locale.ROOT, " | dead %,d", p.deadLetters()));
    return b.toString();
  }

  /** The prequential (and holdout) loss and drift count of a snapshot, for the progress line. */
  private static String evaluation(FilterSnapshot s) {
    Evaluation e = s.getEvaluation();
    if (e == null || e.getPrequentialRecords() == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, " preq %.3g", e.getPrequentialLoss()));
    if (e.getHoldoutRecords() > 0) {
      b.append(String.format(Locale.ROOT, " holdout %.3g", e.getHoldoutLoss()));
    }
    if (e.getDrifts() > 0) {
      b.append(String.format(Locale.ROOT, " drifts %,d", e.getDrifts()));
    }
    return b.toString();
  }

  /**
   * The {@code streamgrad report} command that draws a training job's snapshots (written to a local
   * {@code avro-file} sink), with the spec so that a generator's hidden filter is drawn too; null for
   * other jobs.
   */
  static String reportCommand(JobSpec spec) {
    if (spec.train() == null || !(spec.sink() instanceof AvroFileSinkSpec sink) || sink.path().contains("://")) {
      return null;
    }
    String folder = sink.path().replaceAll("/+$", "");
    int slash = folder.lastIndexOf('/');
    String page = (slash > 0 ? folder.substring(0, slash + 1) : "") + "report.html";
    String scores = spec.predict() != null && spec.predict().scoring() != null
        && spec.predict().scoring().scores() instanceof AvroFileSinkSpec s && !s.path().contains("://")
        ? " " + ConsoleText.escape(s.path().replaceAll("/+$", "")) : "";
    return "streamgrad report " + ConsoleText.escape(folder) + scores
        + (spec.source() instanceof GeneratorSpec ? " --spec " + ConsoleText.escape(spec.file()) : "")
        + " -o " + ConsoleText.escape(page);
  }

  /** Each parameter of a snapshot's state dict on one line: name, shape and (up to 9) values. */
  private static void printParameters(PrintWriter out, FilterSnapshot s) {
    Map<String, Tensor> state;
    try {
      state = SnapshotParameters.of(s);
    } catch (InvalidRecordException ex) {
      out.println("  parameters unreadable: " + ConsoleText.oneLine(ex.reason(), ConsoleText.MESSAGE_CHARS));
      return;
    }
    state.forEach((name, t) -> {
      StringBuilder line = new StringBuilder("  " + ConsoleText.name(name) + " " + Arrays.toString(t.shape()));
      double[] v = t.buffer();
      for (int k = 0; k < Math.min(v.length, 9); k++) {
        line.append(k == 0 ? " = " : ", ").append(String.format(Locale.ROOT, "%.5f", v[k]));
      }
      out.println(line.append(v.length > 9 ? ", ..." : ""));
    });
  }

  static void print(PrintWriter out, JobSpec spec, JobRunner.Result r) {
    Progress p = r.progress();
    out.println();
    // A training job's output is its snapshots (plus predictions when it predicts), not records out.
    String output = spec.train() == null ? String.format(Locale.ROOT, "%,d out", p.recordsOut())
        : spec.predict() == null ? String.format(Locale.ROOT, "%,d snapshots", p.snapshots())
        : String.format(Locale.ROOT, "%,d snapshots, %,d predictions", p.snapshots(), p.recordsOut());
    out.println(String.format(Locale.ROOT, "%s %s in %.1f s: %,d records in (%,.0f/s), %s, %,d dead letters",
        spec.name(), r.outcome() == JobRunner.Outcome.FINISHED ? "finished" : "stopped with a savepoint",
        r.seconds(), p.recordsIn(), p.recordsIn() / Math.max(r.seconds(), 1e-9), output, p.deadLetters()));
    if (spec.train() != null) {
      GeneratorSpec g = spec.source() instanceof GeneratorSpec ? (GeneratorSpec) spec.source() : null;
      for (Map.Entry<String, FilterSnapshot> e : p.latestSnapshots().entrySet()) {
        FilterSnapshot s = e.getValue();
        out.println(String.format(Locale.ROOT, "model %s: version %d after %,d records, loss %.6g",
            ConsoleText.name(e.getKey()), s.getVersion(), s.getRecords(), s.getLoss()));
        if (s.getFilter().getShape().equals(java.util.List.of(0))) {
          printParameters(out, s); // not one conv2d: its parameters by name
          continue;
        }
        Tensor learned;
        try {
          learned = TensorCodec.decode(s.getFilter());
        } catch (InvalidRecordException ex) {
          out.println("  learned filter unreadable: " + ConsoleText.oneLine(ex.reason(), ConsoleText.MESSAGE_CHARS));
          continue;
        }
        if (g != null && g.trueFilter() != null) {
          double[][] truth = g.trueFilter();
          double maxErr = Math.abs(s.getBias() - g.trueBias());
          out.println("  learned filter                      true filter");
          for (int row = 0; row < truth.length; row++) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < truth[row].length; c++) {
              line.append(String.format(Locale.ROOT, "%9.5f", learned.get(row, c)));
              maxErr = Math.max(maxErr, Math.abs(learned.get(row, c) - truth[row][c]));
            }
            line.append("    ");
            for (int c = 0; c < truth[row].length; c++) {
              line.append(String.format(Locale.ROOT, "%9.5f", truth[row][c]));
            }
            out.println(line);
          }
          out.println(String.format(Locale.ROOT, "  bias %.5f (true %.5f); max abs error %.2e", s.getBias(),
              g.trueBias(), maxErr));
        } else {
          out.println("  filter " + learned + ", bias " + s.getBias());
        }
      }
    }
    out.println("output: " + Sinks.describe(spec.sink()) + " (run " + r.runId() + ")");
    String report = reportCommand(spec);
    if (report != null) {
      out.println("charts of the training: " + report);
    }
    if (spec.predict() != null) {
      out.println("predictions: " + Sinks.describe(spec.predict().sink()));
      if (spec.predict().scoring() != null) {
        out.println("scores of the served predictions: " + Sinks.describe(spec.predict().scoring().scores()));
      }
    }
    out.println("dead letters: " + Sinks.describe(spec.deadLetters()));
    if (spec.driftEvents() != null) {
      out.println("drift events: " + Sinks.describe(spec.driftEvents()));
    }
    if (r.savepoint() != null) {
      out.println("savepoint: " + r.savepoint());
    }
    out.flush();
  }
}
