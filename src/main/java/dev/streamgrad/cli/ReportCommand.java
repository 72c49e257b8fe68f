package dev.streamgrad.cli;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.report.HiddenFilter;
import dev.streamgrad.report.HtmlReport;
import dev.streamgrad.report.SnapshotReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report SNAPSHOTS... [-o report.html] [--spec JOB.yaml]}: one self-contained HTML page of how
 * each model trained, from the filter snapshots a run's sink wrote ({@link SnapshotReader},
 * {@link HtmlReport}). Snapshots do not say where their records came from, so the generator's hidden
 * filter is drawn when {@code --spec} names the job spec the run used (with the same {@code --set}s).
 * Exit codes: 0 written; 1 nothing to draw, or damaged input (the page is still written from what
 * could be read); 2 a missing path or a bad spec.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write an HTML page of how each model trained, from a run's filter snapshots (files or folders).",
        "Per model: the loss over records and over event time, each parameter as a heatmap across versions, and"
            + " with --spec of a generator job the hidden filter beside the learned one. Opens without a network."})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "SNAPSHOTS",
      description = "FilterSnapshot Avro files, or folders of them (a run's sink folder, e.g. out/train-conv2d/snapshots);"
          + " PredictionScore files (a predict.scores folder) add each model's served loss per version.")
  List<Path> paths;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
      description = "The page to write (default: ${DEFAULT-VALUE} in the current folder).")
  Path output;

  @Option(names = "--spec", paramLabel = "JOB.yaml",
      description = "The job spec of the run: with a generator source, its hidden filter is drawn beside the learned one.")
  Path specFile;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE",
      description = "An override the run was given (as for run). Repeatable; only with --spec.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--title", paramLabel = "TEXT", description = "The page's title (default: the snapshot paths).")
  String title;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Optional<HiddenFilter> hidden = Optional.empty();
    if (specFile != null) {
      try {
        JobSpec spec = JobSpecParser.parse(specFile, overrides);
        hidden = HiddenFilter.of(spec.source());
        if (hidden.isEmpty()) {
          err.println("note: " + shown(specFile) + " has no generator source with a hidden filter; drawing without one");
        }
      } catch (SpecException e) {
        err.println(ConsoleText.oneLine(e.getMessage(), 2 * ConsoleText.MESSAGE_CHARS));
        err.flush();
        return 2;
      }
    } else if (!overrides.isEmpty()) {
      throw new ParameterException(command.commandLine(), "--set needs --spec JOB.yaml");
    }
    SnapshotReader.Result read;
    try {
      read = SnapshotReader.read(paths);
    } catch (NoSuchFileException e) {
      err.println(shown(Path.of(e.getFile())) + ": no such file or folder");
      err.flush();
      return 2;
    }
    read.notes().forEach(n -> err.println("note: " + ConsoleText.oneLine(n, 2 * ConsoleText.MESSAGE_CHARS)));
    read.problems().forEach(p -> err.println(ConsoleText.oneLine(p, 2 * ConsoleText.MESSAGE_CHARS)));
    if (read.models().isEmpty()) {
      err.println("streamgrad report: no filter snapshots in " + shownAll() + "; nothing written");
      err.flush();
      return 1;
    }
    String pageTitle = title != null ? title : "streamgrad report: " + String.join(" ", paths.stream().map(Path::toString).toList());
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(output, HtmlReport.render(pageTitle, read.models(), hidden), StandardCharsets.UTF_8);
    out.println("wrote " + shown(output) + ": " + read.models().size() + " models, " + read.snapshots() + " snapshots from "
        + read.files() + " files, " + HtmlReport.chartCount(read.models(), hidden) + " charts"
        + (hidden.isPresent() ? ", with the generator's hidden filter" : specFile == null
            ? " (--spec JOB.yaml adds the generator's hidden filter)" : ""));
    out.flush();
    err.flush();
    return read.problems().isEmpty() ? 0 : 1;
  }

  private String shownAll() {
    return String.join(" ", paths.stream().map(ReportCommand::shown).toList());
  }

  private static String shown(Path p) {
    return ConsoleText.escape(p.toString());
  }
}
