package dev.streamgrad.models;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which snapshots an export takes, and the tensor file they become.
 *
 * <p>Each model's newest snapshot (the highest version), or its version {@code V}; one model
 * ({@code --model}) or all of them. A model's tensors are named as in its state dict ({@code
 * filter}, {@code bias}); when no model is chosen every model is exported and each name, tensor and
 * metadata key alike, starts with the model and a slash ({@code m-a/filter}, {@code m-a/version}),
 * even when there is one model, so that a script gets the same names whatever the snapshots hold.
 * The metadata of a model: {@code model}, {@code version} (optimizer updates applied), {@code
 * records} (labeled records trained on), {@code loss} (mean loss since the previous snapshot; {@code
 * NaN} when none), {@code eventTime} (of the last record trained on, ISO-8601 UTC) and {@code layer}
 * (the spec's layer type, in snapshots that name it). The parameters are the snapshot's state dict
 * ({@link SnapshotParameters}), float64.
 *
 * <p>The same version of a model met twice (a run resumed into the same folder, two runs' files)
 * counts once when its parameters are the same, and is refused when they differ: which one is meant
 * cannot be told.
 */
public final class SnapshotExport {
  private SnapshotExport() {}

  /** Why an export cannot be made from the snapshots given (no such model or version, two differing copies). */
  public static final class SelectionException extends Exception {
    private static final long serialVersionUID = 1L;

    SelectionException(String message) {
      super(message);
    }
  }

  /** Every snapshot of every model, by model and then version. */
  public static final class Index {
    private final Map<String, TreeMap<Long, FilterSnapshot>> models = new TreeMap<>();

    /** Adds {@code s}; fails when the same model and version came before with other parameters. */
    public void add(FilterSnapshot s) throws SelectionException {
      TreeMap<Long, FilterSnapshot> versions = models.computeIfAbsent(s.getModel(), m -> new TreeMap<>());
      FilterSnapshot before = versions.putIfAbsent(s.getVersion(), s);
      if (before != null && !sameParameters(before, s)) {
        throw new SelectionException("model '" + s.getModel() + "' version " + s.getVersion()
            + " appears twice with different parameters (snapshots of two runs?): give only one run's files");
      }
    }

    /** The models, sorted by name. */
    public List<String> models() {
      return new ArrayList<>(models.keySet());
    }

    /** The snapshots of {@code model} by version. */
    public TreeMap<Long, FilterSnapshot> versions(String model) {
      return models.getOrDefault(model, new TreeMap<>());
    }

    /**
     * The chosen snapshot of each chosen model, by model: {@code model} or every model (null),
     * {@code version} or the newest (null).
     */
    public Map<String, FilterSnapshot> select(String model, Long version) throws SelectionException {
      if (models.isEmpty()) {
        throw new SelectionException("there are no snapshots");
      }
      if (model != null && !models.containsKey(model)) {
        throw new SelectionException("there are no snapshots of model '" + model + "'; there are of "
            + shortList(models.keySet()));
      }
      Map<String, FilterSnapshot> chosen = new LinkedHashMap<>();
      for (String m : model == null ? models() : List.of(model)) {
        TreeMap<Long, FilterSnapshot> versions = models.get(m);
        FilterSnapshot s = version == null ? versions.lastEntry().getValue() : versions.get(version);
        if (s == null) {
          throw new SelectionException("model '" + m + "' has no version " + version + "; it has "
              + (versions.size() == 1 ? "version " : "versions ") + shortList(versions.keySet()));
        }
        chosen.put(m, s);
      }
      return chosen;
    }
  }

  /**
   * The tensor file of the chosen snapshots: unprefixed names when {@code prefixed} is false (one
   * model asked for by name), else each model's names and metadata keys prefixed with {@code model/}.
   *
   * @throws SelectionException when a chosen snapshot's parameters are malformed (named, with the model and version)
   */
  public static TensorFile toFile(Map<String, FilterSnapshot> chosen, boolean prefixed) throws SelectionException {
    if (!prefixed && chosen.size() != 1) {
      throw new IllegalArgumentException("unprefixed names need exactly one model, got " + chosen.keySet());
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, FilterSnapshot> e : chosen.entrySet()) {
      String prefix = prefixed ? e.getKey() + "/" : "";
      metadata(e.getValue()).forEach((k, v) -> metadata.put(prefix + k, v));
      parameters(e.getValue()).forEach((name, t) -> tensors.put(prefix + name, t));
    }
    return new TensorFile(tensors, metadata);
  }

  /**
   * {@code model}, {@code version}, {@code records}, {@code loss}, {@code eventTime} of {@code s},
   * and {@code layer} when the snapshot names it, as strings.
   */
  public static Map<String, String> metadata(FilterSnapshot s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model", s.getModel());
    m.put("version", Long.toString(s.getVersion()));
    m.put("records", Long.toString(s.getRecords()));
    m.put("loss", Double.toString(s.getLoss()));
    m.put("eventTime", s.getEventTime().toString());
    if (s.getLayer() != null && !s.getLayer().isEmpty()) {
      m.put("layer", s.getLayer());
    }
    return m;
  }

  /**
   * The model's state dict in order ({@link SnapshotParameters#of}), as float64 tensors.
   *
   * @throws SelectionException when a parameter is malformed or not finite
   */
  public static Map<String, Tensor> parameters(FilterSnapshot s) throws SelectionException {
    Map<String, Tensor> p = new LinkedHashMap<>();
    try {
      SnapshotParameters.of(s).forEach((name, t) -> p.put(name, TensorCodec.encode(t, DType.FLOAT64)));
    } catch (InvalidRecordException e) {
      throw new SelectionException("model '" + s.getModel() + "' version " + s.getVersion() + ": " + e.getMessage());
    }
    return p;
  }

  /** One line of {@code export --list}: the chosen snapshot, the versions there are, the parameters. */
  public static String describe(FilterSnapshot s, TreeMap<Long, FilterSnapshot> versions)
      throws SelectionException {
    StringBuilder b = new StringBuilder(ConsoleText.escape(s.getModel())).append(": version ").append(s.getVersion())
        .append(" of ").append(versions.size()).append(versions.size() == 1 ? " snapshot" : " snapshots")
        .append(" (versions ").append(versions.firstKey()).append(" to ").append(versions.lastKey()).append(")")
        .append(", records ").append(s.getRecords()).append(", loss ").append(s.getLoss())
        .append(", event time ").append(s.getEventTime()).append(", parameters");
    String sep = " ";
    for (Map.Entry<String, Tensor> p : parameters(s).entrySet()) {
      b.append(sep).append(ConsoleText.escape(p.getKey())).append(' ').append(p.getValue().getShape()).append(' ')
          .append(p.getValue().getDtype().name().toLowerCase(Locale.ROOT));
      sep = ", ";
    }
    return b.toString();
  }

  /** Whether two snapshots carry the same parameters, compared as written (nothing decoded). */
  private static boolean sameParameters(FilterSnapshot a, FilterSnapshot b) {
    return Objects.equals(a.getParameters(), b.getParameters()) && Objects.equals(a.getFilter(), b.getFilter())
        && Double.compare(a.getBias(), b.getBias()) == 0;
  }

  /** Up to ten items; of a longer list the first five and the last three, with the count. */
  private static String shortList(java.util.Collection<?> items) {
    List<String> all = new ArrayList<>();
    items.forEach(o -> all.add(o instanceof String ? "'" + o + "'" : String.valueOf(o)));
    if (all.size() <= 10) {
      return String.join(", ", all);
    }
    return String.join(", ", all.subList(0, 5)) + ", ..., " + String.join(", ", all.subList(all.size() - 3,
        all.size())) + " (" + all.size() + " in all)";
  }
}
