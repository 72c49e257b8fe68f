package dev.streamgrad.cli;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.io.ContainerScan;
import dev.streamgrad.models.SnapshotExport;
import dev.streamgrad.models.SnapshotExport.SelectionException;
import dev.streamgrad.models.SnapshotFiles;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export SNAPSHOTS -o FILE}: a trained model's parameters, from the trainer's {@code
 * FilterSnapshot} files, as a numpy {@code .npz}, safetensors or JSON file ({@link TensorFileFormat})
 * named as its state dict; which snapshots, and how names and metadata are laid out, is {@link
 * SnapshotExport}'s. The files are read as {@code inspect} reads them; a damaged region fails the
 * export (the newest version could be in it). The file is written whole or not at all, and an
 * existing one is replaced only with {@code --overwrite}. An {@code .npz} holds no metadata: it
 * goes beside it, into {@code FILE.json} (the JSON format with no tensors).
 */
// not mixinStandardHelpOptions: --version V is the model version (as issue 17 names it), so
// streamgrad's own version is -V only here
@Command(name = "export", versionProvider = VersionProvider.class,
    description = {"Write a trained model's parameters (filter, bias: its state dict) from snapshot files to numpy"
        + " .npz, safetensors or JSON.",
        "Each model's newest snapshot unless --version; without --model every model, names prefixed 'MODEL/'."})
public final class ExportCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "SNAPSHOTS",
      description = "Avro files of FilterSnapshot records, or folders of them (a snapshots sink's folder).")
  List<Path> paths;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "-V", versionHelp = true, description = "Print streamgrad's version and exit (--version V"
      + " chooses a model version here).")
  boolean programVersion;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "The file to write; its ending (.npz, .safetensors, .json) gives the format unless --format.")
  Path output;

  @Option(names = "--format", paramLabel = "FORMAT", description = "npz, safetensors or json.")
  String format;

  @Option(names = "--model", paramLabel = "M",
      description = "Export only model M, with the state dict's own names (filter, bias).")
  String model;

  @ArgGroup(exclusive = true)
  Which which;

  static final class Which {
    @Option(names = "--version", paramLabel = "V", description = "Export version V (optimizer updates applied).")
    Long version;

    @Option(names = "--latest", description = "Export each model's newest version (the default).")
    boolean latest;
  }

  @Option(names = "--list", description = "Print the models with the chosen version, records, loss, event time and"
      + " parameters instead of writing a file.")
  boolean list;

  @Option(names = "--overwrite", description = "Replace FILE (and FILE.json for npz) if it exists.")
  boolean overwrite;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    TensorFileFormat chosen = list ? null : format();
    Long version = which == null ? null : which.version;
    if (version != null && version < 0) {
      throw new ParameterException(command.commandLine(), "--version must be 0 or more, got " + version);
    }
    if (!list && !overwrite) {
      for (Path p : outputs(chosen)) {
        if (Files.exists(p)) {
          err.println("export: " + shown(p) + " exists; --overwrite replaces it");
          err.flush();
          return 2;
        }
      }
    }
    int[] status = {0};
    SnapshotExport.Index index = read(err, status);
    if (index == null) {
      return status[0];
    }
    Map<String, FilterSnapshot> selected;
    try {
      selected = index.select(model, version);
    } catch (SelectionException e) {
      err.println("export: " + ConsoleText.oneLine(e.getMessage(), ConsoleText.MESSAGE_CHARS));
      err.flush();
      return 1;
    }
    TensorFile file;
    try {
      if (list) {
        for (Map.Entry<String, FilterSnapshot> e : selected.entrySet()) {
          out.println(describe(e.getValue(), index.versions(e.getKey())));
        }
        out.flush();
        return 0;
      }
      file = SnapshotExport.toFile(selected, model == null);
    } catch (SelectionException e) {
      err.println("export: " + ConsoleText.oneLine(e.getMessage(), ConsoleText.MESSAGE_CHARS));
      err.flush();
      return 1;
    }
    if (chosen == TensorFileFormat.SAFETENSORS) {
      // the key transformers and other PyTorch loaders look for: the tensors are a PyTorch state dict
      Map<String, String> metadata = new LinkedHashMap<>(Map.of("format", "pt"));
      metadata.putAll(file.metadata());
      file = new TensorFile(file.tensors(), metadata);
    }
    chosen.write(file, output);
    if (!chosen.holdsMetadata()) {
      TensorFileFormat.JSON.write(new TensorFile(Map.of(), file.metadata()), sidecar(output));
    }
    out.println("wrote " + String.join(", ", selected.values().stream().map(s -> s.getModel() + " version "
        + s.getVersion()).toList()) + " (" + file.tensors().size() + " tensors) to " + shown(output)
        + (chosen.holdsMetadata() ? "" : ", metadata to " + shown(sidecar(output))));
    out.flush();
    return 0;
  }

  /** The format: {@code --format}, else the output's ending; a usage error when neither names one. */
  private TensorFileFormat format() {
    if (output == null) {
      throw new ParameterException(command.commandLine(), "give -o FILE (or --list)");
    }
    if (format != null) {
      for (TensorFileFormat f : TensorFileFormat.values()) {
        if (f.id().equals(format.toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new ParameterException(command.commandLine(), "--format must be npz, safetensors or json, got '"
          + format + "'");
    }
    return TensorFileFormat.ofFileName(output.getFileName().toString()).orElseThrow(() -> new ParameterException(
        command.commandLine(), "give --format npz|safetensors|json: " + output.getFileName()
            + " does not end in .npz, .safetensors or .json"));
  }

  private List<Path> outputs(TensorFileFormat f) {
    return f.holdsMetadata() ? List.of(output) : List.of(output, sidecar(output));
  }

  private static Path sidecar(Path npz) {
    return npz.resolveSibling(npz.getFileName() + ".json");
  }

  /** Reads every snapshot; null after reporting why not (the exit code in {@code status[0]}). */
  private SnapshotExport.Index read(PrintWriter err, int[] status) {
    try {
      return SnapshotFiles.read(paths);
    } catch (SnapshotFiles.SnapshotFilesException e) {
      status[0] = fail(err, e.getMessage(), e.missing() ? 2 : 1);
      return null;
    }
  }

  private static String describe(FilterSnapshot s, TreeMap<Long, FilterSnapshot> versions)
      throws SelectionException {
    StringBuilder b = new StringBuilder(ConsoleText.escape(s.getModel())).append(": version ").append(s.getVersion())
        .append(" of ").append(versions.size()).append(versions.size() == 1 ? " snapshot" : " snapshots")
        .append(" (versions ").append(versions.firstKey()).append(" to ").append(versions.lastKey()).append(")")
        .append(", records ").append(s.getRecords()).append(", loss ").append(s.getLoss())
        .append(", event time ").append(s.getEventTime()).append(", parameters");
    String sep = " ";
    for (Map.Entry<String, Tensor> p : SnapshotExport.parameters(s).entrySet()) {
      b.append(sep).append(ConsoleText.escape(p.getKey())).append(' ').append(p.getValue().getShape()).append(' ')
          .append(p.getValue().getDtype().name().toLowerCase(Locale.ROOT));
      sep = ", ";
    }
    return b.toString();
  }

  private static int fail(PrintWriter err, String message, int code) {
    err.println("export: " + ConsoleText.oneLine(message, 2 * ConsoleText.MESSAGE_CHARS));
    err.flush();
    return code;
  }

  private static String shown(Path p) {
    return ConsoleText.escape(p.toString());
  }
}
