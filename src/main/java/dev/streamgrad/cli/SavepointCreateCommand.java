package dev.streamgrad.cli;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.flink.ModelTrainer;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.models.SnapshotFiles;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.modelstate.ModelSavepoints;
import dev.streamgrad.modelstate.ModelSources;
import dev.streamgrad.modelstate.ModelSources.ModelSourceException;
import dev.streamgrad.modelstate.StartingPoint;
import dev.streamgrad.modelstate.WarmStartLayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code savepoint create --spec JOB.yaml --from SOURCE -o DIR}: a new savepoint whose trainer state
 * holds given models, so that {@code run JOB.yaml --from-savepoint DIR} starts them from exactly
 * those parameters ({@link ModelSavepoints#write}). A source is snapshot files or folders (each
 * model's newest version, or {@code --version V}), a tensor file ({@code .npz}, {@code .safetensors},
 * {@code .json}: what {@code export} writes), or another savepoint (whose optimizer state comes
 * along); the parameters are checked against the spec's layer. The savepoint is written for the max
 * parallelism Flink gives the job at the spec's parallelism.
 */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Write a savepoint holding given models' parameters in the trainer's state, to start a job from"
        + " with 'run JOB.yaml --from-savepoint DIR'.",
        "Sources: snapshot files or folders, an .npz/.safetensors/.json tensor file, or a savepoint (which also"
            + " carries the optimizer's state)."})
public final class SavepointCreateCommand implements Callable<Integer> {
  @Option(names = "--spec", required = true, paramLabel = "JOB.yaml", description = "The job the savepoint is for.")
  Path specFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "An override for the spec (as for run). Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--from", required = true, paramLabel = "SOURCE", description = "Snapshot files or folders"
      + " (repeatable), a tensor file (.npz, .safetensors, .json), or a savepoint or retained checkpoint.")
  List<String> from;

  @Option(names = "--model", paramLabel = "M", description = "Take model M (repeatable; default every model of the"
      + " source). Names the model of a tensor file holding one model's state dict.")
  List<String> models = new ArrayList<>();

  @Option(names = "--version", paramLabel = "V", description = "With snapshots: version V of each model (default the"
      + " newest).")
  Long version;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "The savepoint folder to"
      + " write (new or empty).")
  Path output;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (Files.exists(output) && !(Files.isDirectory(output) && isEmpty(output))) {
      return fail(err, ConsoleText.escape(output.toString()) + " exists and is not an empty folder", 2);
    }
    for (String f : from) {
      if (!f.contains(":") && !Files.exists(Path.of(f))) {
        return fail(err, "--from " + ConsoleText.escape(f) + ": no such file or folder", 2);
      }
    }
    JobSpec spec;
    try {
      spec = JobSpecParser.parse(specFile, overrides);
    } catch (SpecException e) {
      return fail(err, e.getMessage(), 2);
    }
    if (spec.train() == null) {
      return fail(err, ConsoleText.escape(specFile.toString()) + " has no train section: its job keeps no models", 2);
    }
    LayerSpec layer = spec.layer() instanceof WarmStartLayer w ? w.layer() : spec.layer();
    List<StartingPoint> starts;
    try {
      starts = sources(spec);
    } catch (ModelSourceException e) {
      return fail(err, ConsoleText.escape(String.join(" ", from)) + ": " + e.getMessage(), 1);
    }
    Map<String, TrainerState> states = new LinkedHashMap<>();
    List<String> described = new ArrayList<>();
    for (StartingPoint start : starts) {
      if (start.model() == null) {
        throw new ParameterException(command.commandLine(), "the file does not name its model: give --model M");
      }
      try {
        WarmStartLayer warm = WarmStartLayer.of(layer, spec.train(), start);
        states.put(start.model(), new ModelTrainer(warm, spec.train()).initialState());
        described.add(start.model() + " version " + start.version() + (warm.carriesOptimizer()
            ? " with its optimizer state" : ""));
      } catch (IllegalArgumentException e) {
        return fail(err, "model '" + start.model() + "' does not fit the layer " + layer + ": " + e.getMessage(), 1);
      }
    }
    int maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(spec.parallelism());
    try {
      ModelSavepoints.write(states, maxParallelism, output);
    } catch (ModelSavepoints.SavepointException e) {
      return fail(err, e.getMessage(), 1);
    }
    out.println("wrote a savepoint of " + ConsoleText.escape(String.join(", ", described)) + " (max parallelism "
        + maxParallelism + ") to " + ConsoleText.escape(output.toString()));
    out.println("optimizer state: " + (starts.stream().allMatch(StartingPoint::carriesOptimizer)
        ? "from the source savepoint" : "restarts (snapshots and tensor files do not carry it)"));
    out.println("start the job from it: streamgrad run " + ConsoleText.escape(specFile.toString())
        + " --from-savepoint " + ConsoleText.escape(output.toString()));
    out.flush();
    return 0;
  }

  /** One starting point per chosen model of the source. */
  private List<StartingPoint> sources(JobSpec spec) throws ModelSourceException {
    String first = from.get(0);
    boolean savepoint = first.contains(":") || Files.isRegularFile(Path.of(first, "_metadata"))
        || first.endsWith("_metadata");
    boolean file = TensorFileFormat.ofFileName(first).isPresent();
    if ((savepoint || file) && from.size() > 1) {
      throw new ParameterException(command.commandLine(), "--from takes one savepoint or tensor file, or snapshot"
          + " files and folders");
    }
    if (version != null && (savepoint || file)) {
      throw new ParameterException(command.commandLine(), "--version applies to snapshots only");
    }
    List<StartingPoint> out = new ArrayList<>();
    if (savepoint) {
      String backend = spec.checkpoints() == null ? "hashmap" : spec.checkpoints().backend();
      SortedMap<String, TrainerState> all;
      try {
        all = ModelSavepoints.read(first, backend);
      } catch (ModelSavepoints.SavepointException e) {
        throw new ModelSourceException(e.getMessage());
      }
      for (String m : models.isEmpty() ? all.keySet() : models) {
        if (!all.containsKey(m)) {
          throw new ModelSourceException("holds no model '" + m + "'; it holds " + String.join(", ", all.keySet()));
        }
        out.add(ModelSources.fromState(m, all.get(m)));
      }
    } else if (file) {
      if (models.isEmpty()) {
        out.addAll(ModelSources.fileModels(Path.of(first)));
      }
      for (String m : models) {
        out.add(ModelSources.file(Path.of(first), m));
      }
    } else {
      List<Path> paths = from.stream().map(Path::of).toList();
      List<String> chosen = models;
      if (chosen.isEmpty()) {
        try {
          chosen = SnapshotFiles.read(paths).models();
        } catch (SnapshotFiles.SnapshotFilesException e) {
          throw new ModelSourceException(e.getMessage());
        }
      }
      for (String m : chosen) {
        out.add(ModelSources.snapshot(paths, m, version));
      }
    }
    return out;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static int fail(PrintWriter err, String message, int code) {
    err.println("savepoint create: " + ConsoleText.oneLine(message, 2 * ConsoleText.MESSAGE_CHARS));
    err.flush();
    return code;
  }
}
