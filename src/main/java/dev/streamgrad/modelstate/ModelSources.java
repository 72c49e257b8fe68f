package dev.streamgrad.modelstate;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.kafka.KafkaRecordReader;
import dev.streamgrad.models.SnapshotExport;
import dev.streamgrad.models.SnapshotFiles;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileException;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.optim.lr.SchedulerState;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

/**
 * Loads one model's {@link StartingPoint} from where streamgrad's models live outside a running
 * job: the trainer's snapshot files, a tensor file that {@code export} wrote (or any {@code .npz},
 * {@code .safetensors} or {@code .json} of the same layout), or a savepoint or retained checkpoint.
 * Every failure is a {@link ModelSourceException} whose message says what is wrong with which
 * source, without the source's path (the caller names the key or option that gave it).
 */
public final class ModelSources {
  private ModelSources() {}

  /** Why a model could not be loaded from a source. */
  public static final class ModelSourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelSourceException(String message) {
      super(message);
    }
  }

  /**
   * Model {@code model} (null: the only one) at {@code version} (null: the newest) from the snapshot
   * files or folders {@code paths}; the snapshot carries the version and records, not the optimizer.
   */
  public static StartingPoint snapshot(List<Path> paths, String model, Long version) throws ModelSourceException {
    try {
      return fromIndex(SnapshotFiles.read(paths), model, version);
    } catch (SnapshotFiles.SnapshotFilesException e) {
      throw new ModelSourceException(e.getMessage());
    }
  }

  /**
   * The same from a Kafka topic of snapshots (a {@code kafka} snapshots sink's), read from its
   * beginning to its current end ({@code read_committed}); a record that does not decode fails the
   * read, as a damaged file does.
   */
  public static StartingPoint snapshotTopic(String bootstrapServers, String topic, String model, Long version,
      Duration timeout) throws ModelSourceException {
    KafkaRecordReader.Contents<FilterSnapshot> contents;
    try {
      contents = KafkaRecordReader.readAll(bootstrapServers, topic, FilterSnapshot.class, timeout);
    } catch (TimeoutException e) {
      throw new ModelSourceException("could not read topic '" + topic + "' to its end within " + timeout.toSeconds()
          + " s (is a broker at " + bootstrapServers + " reachable?)");
    } catch (RuntimeException e) {
      throw new ModelSourceException("cannot read topic '" + topic + "' from " + bootstrapServers + ": " + e);
    }
    if (!contents.undecodable().isEmpty()) {
      throw new ModelSourceException("topic '" + topic + "' holds " + contents.undecodable().size()
          + " records that are not FilterSnapshots (the first: " + contents.undecodable().get(0) + ")");
    }
    SnapshotExport.Index index = new SnapshotExport.Index();
    try {
      for (FilterSnapshot s : contents.records()) {
        index.add(s);
      }
    } catch (SnapshotExport.SelectionException e) {
      throw new ModelSourceException(e.getMessage());
    }
    return fromIndex(index, model, version);
  }

  private static StartingPoint fromIndex(SnapshotExport.Index index, String model, Long version)
      throws ModelSourceException {
    String chosen = model != null ? model : only(index.models(), "the snapshots hold");
    FilterSnapshot s;
    Map<String, Tensor> params;
    try {
      s = index.select(chosen, version).get(chosen);
      params = SnapshotParameters.of(s);
    } catch (SnapshotExport.SelectionException | InvalidRecordException e) {
      throw new ModelSourceException(e.getMessage());
    }
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    params.forEach((name, t) -> {
      values.put(name, t.toArray());
      shapes.put(name, t.shape());
    });
    return new StartingPoint("snapshot of model '" + chosen + "' version " + s.getVersion(), chosen, values, shapes,
        null, null, s.getVersion(), s.getRecords());
  }

  /**
   * Model {@code model} from a tensor file: names prefixed {@code MODEL/} (an export of every model)
   * give the chosen model's (null: the only one); unprefixed names are one model's state dict. Its
   * {@code version} and {@code records} come from the file's metadata (an {@code .npz}'s {@code
   * FILE.npz.json} beside it) when present; a file carries no optimizer state.
   */
  public static StartingPoint file(Path path, String model) throws ModelSourceException {
    return pick(load(path), model);
  }

  /** Every model of a tensor file: one per {@code MODEL/} prefix, or the one state dict of unprefixed names. */
  public static List<StartingPoint> fileModels(Path path) throws ModelSourceException {
    Loaded loaded = load(path);
    List<StartingPoint> out = new ArrayList<>();
    if (!loaded.prefixed()) {
      out.add(pick(loaded, null));
    }
    for (String m : loaded.prefixed() ? loaded.prefixes() : List.<String>of()) {
      out.add(pick(loaded, m));
    }
    return out;
  }

  /** A tensor file with its metadata (and an {@code .npz}'s beside it), and its names' model prefixes. */
  private record Loaded(TensorFile file, Map<String, String> metadata, TreeSet<String> prefixes, boolean prefixed) {}

  private static Loaded load(Path path) throws ModelSourceException {
    TensorFileFormat format = TensorFileFormat.ofFileName(path.getFileName().toString()).orElseThrow(() ->
        new ModelSourceException("the file name must end in .npz, .safetensors or .json"));
    if (!Files.isRegularFile(path)) {
      throw new ModelSourceException("no such file");
    }
    TensorFile file;
    Map<String, String> metadata = new HashMap<>();
    try {
      file = format.read(path, TensorFileFormat.defaultMaxBytes());
      metadata.putAll(file.metadata());
      Path sidecar = path.resolveSibling(path.getFileName() + ".json");
      if (!format.holdsMetadata() && Files.isRegularFile(sidecar)) {
        metadata.putAll(TensorFileFormat.JSON.read(sidecar, 0).metadata());
      }
    } catch (TensorFileException e) {
      throw new ModelSourceException(e.getMessage());
    }
    TreeSet<String> prefixes = new TreeSet<>();
    boolean prefixed = !file.tensors().isEmpty();
    for (String name : file.tensors().keySet()) {
      int slash = name.indexOf('/');
      prefixed &= slash > 0;
      if (slash > 0) {
        prefixes.add(name.substring(0, slash));
      }
    }
    return new Loaded(file, metadata, prefixes, prefixed);
  }

  private static StartingPoint pick(Loaded loaded, String model) throws ModelSourceException {
    TensorFile file = loaded.file();
    Map<String, String> metadata = loaded.metadata();
    TreeSet<String> prefixes = loaded.prefixes();
    boolean prefixed = loaded.prefixed();
    String chosen = model;
    String prefix = "";
    if (prefixed) {
      chosen = model != null ? model : only(prefixes, "the file's names (MODEL/NAME) hold");
      if (!prefixes.contains(chosen)) {
        throw new ModelSourceException("holds no model '" + chosen + "'; it holds " + prefixes);
      }
      prefix = chosen + "/";
    } else if (model != null && metadata.containsKey("model") && !metadata.get("model").equals(model)) {
      throw new ModelSourceException("holds model '" + metadata.get("model") + "', not '" + model + "'");
    } else if (chosen == null) {
      chosen = metadata.get("model");
    }
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, dev.streamgrad.avro.Tensor> e : file.tensors().entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String name = e.getKey().substring(prefix.length());
      Tensor t;
      try {
        t = TensorCodec.decode(e.getValue());
      } catch (InvalidRecordException ex) {
        throw new ModelSourceException("tensor '" + e.getKey() + "': " + ex.getMessage());
      }
      values.put(name, t.toArray());
      shapes.put(name, t.shape());
    }
    return new StartingPoint("file" + (chosen == null ? "" : " (model '" + chosen + "')"), chosen, values, shapes,
        null, null, number(metadata, prefix + "version"), number(metadata, prefix + "records"));
  }

  /**
   * Model {@code model} (null: the only one) from a savepoint or retained checkpoint: its parameters,
   * the optimizer's state, version and records, as the trainer had them.
   */
  public static StartingPoint savepoint(String path, String model, String backend) throws ModelSourceException {
    SortedMap<String, TrainerState> models;
    try {
      models = ModelSavepoints.read(path, backend);
    } catch (ModelSavepoints.SavepointException e) {
      throw new ModelSourceException(e.getMessage());
    }
    String chosen = model != null ? model : only(models.keySet(), "the savepoint holds");
    TrainerState s = models.get(chosen);
    if (s == null) {
      throw new ModelSourceException("holds no model '" + chosen + "'; it holds " + shown(models.keySet()));
    }
    return fromState(chosen, s);
  }

  /**
   * A model's state as read from a savepoint ({@link ModelSavepoints#read}): the parameters, the
   * optimizer's and the learning-rate scheduler's state, version and records.
   */
  public static StartingPoint fromState(String model, TrainerState s) {
    Map<String, double[]> optimizer = new LinkedHashMap<>();
    s.optimizer.forEach((k, v) -> optimizer.put(k, v.clone()));
    SchedulerState schedule = s.lrStepCount == 0 ? null
        : new SchedulerState(s.lrLastEpoch, s.lrStepCount, s.lrBaseLr, s.lrLastLr);
    return new StartingPoint("savepoint state of model '" + model + "' version " + s.version, model,
        s.params, null, optimizer, schedule, s.version, s.records);
  }

  private static String only(Collection<String> models, String what) throws ModelSourceException {
    if (models.size() == 1) {
      return models.iterator().next();
    }
    throw new ModelSourceException(models.isEmpty() ? what + " no model"
        : what + " " + models.size() + " models (" + shown(models) + "): say which with model");
  }

  private static String shown(Collection<String> models) {
    List<String> names = models.stream().limit(10).map(m -> "'" + m + "'").toList();
    return String.join(", ", names) + (models.size() > 10 ? ", ... (" + models.size() + " in all)" : "");
  }

  private static long number(Map<String, String> metadata, String key) throws ModelSourceException {
    String v = metadata.get(key);
    if (v == null) {
      return 0;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ModelSourceException("metadata '" + key + "' must be a whole number of 0 or more, got '" + v + "'");
  }
}
