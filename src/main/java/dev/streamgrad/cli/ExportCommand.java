package dev.streamgrad.cli;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.models.SnapshotExport;
import dev.streamgrad.models.SnapshotExport.SelectionException;
import dev.streamgrad.models.SnapshotFiles;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.modelstate.ModelSavepoints;
import dev.streamgrad.modelstate.SavepointExport;
import dev.streamgrad.modelstate.WarmStartLayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
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
 * goes beside it, into {@code FILE.json} (the JSON format with no tensors). {@code export --savepoint
 * PATH [--spec JOB.yaml]} takes the models from a savepoint or retained checkpoint instead ({@link
 * SavepointExport}): the job's layer gives the shapes.
 */
// not mixinStandardHelpOptions: --version V is the model version (as issue 17 names it), so
// streamgrad's own version is -V only here
@Command(name = "export", versionProvider = VersionProvider.class,
    description = {"Write a trained model's parameters (filter, bias: its state dict) from snapshot files, or from a"
        + " savepoint or retained checkpoint (--savepoint), to numpy .npz, safetensors or JSON.",
        "Each model's newest snapshot unless --version; without --model every model, names prefixed 'MODEL/'."})
public final class ExportCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "SNAPSHOTS",
      description = "Avro files of FilterSnapshot records, or folders of them (a snapshots sink's folder).")
  List<Path> paths = new ArrayList<>();

  @Option(names = "--savepoint", paramLabel = "PATH", description = "Read the models from this savepoint or retained"
      + " checkpoint (its folder or _metadata) instead of snapshots: each model's state when it was taken.")
  String savepoint;

  @Option(names = "--spec", paramLabel = "JOB.yaml", description = "With --savepoint: the job's spec, whose layer gives"
      + " the parameters' shapes (a savepoint keeps their values only).")
  Path specFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An override the job was run with (as for run)."
      + " Repeatable; only with --spec.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--flat", description = "With --savepoint and no --spec: write each parameter as a 1-D array.")
  boolean flat;

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
    if (savepoint != null) {
      return fromSavepoint(chosen, version, out, err);
    }
    if (paths.isEmpty()) {
      throw new ParameterException(command.commandLine(), "give SNAPSHOTS (snapshot files or folders) or --savepoint PATH");
    }
    if (specFile != null || flat || !overrides.isEmpty()) {
      throw new ParameterException(command.commandLine(), "--spec, --set and --flat go with --savepoint");
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
          out.println(SnapshotExport.describe(e.getValue(), index.versions(e.getKey())));
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
    write(chosen, file, String.join(", ", selected.values().stream().map(x -> x.getModel() + " version "
        + x.getVersion()).toList()), out);
    return 0;
  }

  /** Writes {@code file} (and an {@code .npz}'s metadata beside it) and says what it wrote ({@code what}). */
  private void write(TensorFileFormat chosen, TensorFile file, String what, PrintWriter out) throws IOException {
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
    out.println("wrote " + ConsoleText.escape(what) + " (" + file.tensors().size() + " tensors) to " + shown(output)
        + (chosen.holdsMetadata() ? "" : ", metadata to " + shown(sidecar(output))));
    out.flush();
  }

  /**
   * {@code --savepoint}: the models of the trainer's state in a savepoint or retained checkpoint
   * ({@link ModelSavepoints}), shaped by {@code --spec}'s layer or flat ({@link SavepointExport}).
   */
  private int fromSavepoint(TensorFileFormat chosen, Long version, PrintWriter out, PrintWriter err)
      throws IOException {
    if (!paths.isEmpty()) {
      throw new ParameterException(command.commandLine(), "give SNAPSHOTS or --savepoint PATH, not both");
    }
    if (!savepoint.contains(":") && !Files.exists(Path.of(savepoint))) {
      return fail(err, ConsoleText.escape(savepoint) + ": no such file or folder", 2);
    }
    LayerSpec layer = null;
    String backend = "hashmap";
    if (specFile != null) {
      try {
        JobSpec spec = JobSpecParser.parse(specFile, overrides);
        layer = spec.layer() instanceof WarmStartLayer w ? w.layer() : spec.layer();
        backend = spec.checkpoints() == null ? backend : spec.checkpoints().backend();
      } catch (SpecException e) {
        return fail(err, e.getMessage(), 2);
      }
    } else if (!overrides.isEmpty()) {
      throw new ParameterException(command.commandLine(), "--set needs --spec JOB.yaml");
    } else if (!list && !flat) {
      throw new ParameterException(command.commandLine(), "a savepoint keeps each parameter's values, not its shape:"
          + " give --spec JOB.yaml (the job's layer gives the shapes) or --flat for 1-D arrays");
    }
    SortedMap<String, TrainerState> models;
    try {
      models = ModelSavepoints.read(savepoint, backend);
    } catch (ModelSavepoints.SavepointException e) {
      return fail(err, e.getMessage(), 1);
    }
    if (models.isEmpty()) {
      return fail(err, ConsoleText.escape(savepoint) + " holds no model: the trainer had no state when it was taken", 1);
    }
    if (model != null && !models.containsKey(model)) {
      return fail(err, "the savepoint holds no model '" + ConsoleText.escape(model) + "'; it holds "
          + ConsoleText.escape(String.join(", ", models.keySet())), 1);
    }
    SortedMap<String, TrainerState> selected = model == null ? models : models.subMap(model, model + "\0");
    if (version != null) {
      for (Map.Entry<String, TrainerState> e : selected.entrySet()) {
        if (e.getValue().version != version) {
          return fail(err, "a savepoint holds one version of each model: '" + ConsoleText.escape(e.getKey())
              + "' is at version " + e.getValue().version + ", not " + version, 1);
        }
      }
    }
    try {
      if (list) {
        for (Map.Entry<String, TrainerState> e : selected.entrySet()) {
          out.println(SavepointExport.describe(ConsoleText.escape(e.getKey()), e.getValue(), layer));
        }
        out.flush();
        return 0;
      }
      TensorFile file = SavepointExport.toFile(selected, layer, model == null);
      write(chosen, file, String.join(", ", selected.entrySet().stream().map(e -> e.getKey() + " version "
          + e.getValue().version).toList()) + " from the savepoint", out);
      return 0;
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage(), 1);
    }
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

  private static int fail(PrintWriter err, String message, int code) {
    err.println("export: " + ConsoleText.oneLine(message, 2 * ConsoleText.MESSAGE_CHARS));
    err.flush();
    return code;
  }

  private static String shown(Path p) {
    return ConsoleText.escape(p.toString());
  }
}
