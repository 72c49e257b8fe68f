package dev.streamgrad.modelstate;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.records.TensorCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The models of a savepoint as a tensor file and as lines of a listing, named as {@code export}
 * names snapshots' ({@code filter}, {@code bias}; {@code MODEL/filter} for every model) with the
 * same metadata keys.
 *
 * <p>Shapes: the trainer's state keeps each parameter's values row-major by name, not its shape,
 * which is the layer's (the job spec's {@code layer} section). With the layer ({@code --spec}) the
 * parameters get its shapes and order, and must match it as {@code load_state_dict(strict=True)}
 * requires; without it they are written flat, 1-D, in name order ({@code --flat}), since a shape
 * guessed from a count would be wrong for all but square filters.
 */
public final class SavepointExport {
  private SavepointExport() {}

  /**
   * The chosen models' parameters and metadata; names prefixed {@code MODEL/} when {@code prefixed}.
   *
   * @param layer the layer that gives the shapes, or null to write flat arrays
   * @throws IllegalArgumentException when a model's parameters do not fit {@code layer}, naming it
   */
  public static TensorFile toFile(Map<String, TrainerState> chosen, LayerSpec layer, boolean prefixed) {
    if (!prefixed && chosen.size() != 1) {
      throw new IllegalArgumentException("unprefixed names need exactly one model, got " + chosen.keySet());
    }
    Map<String, dev.streamgrad.avro.Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    chosen.forEach((model, s) -> {
      String prefix = prefixed ? model + "/" : "";
      metadata(model, s, layer).forEach((k, v) -> metadata.put(prefix + k, v));
      parameters(model, s, layer).forEach((name, t) -> tensors.put(prefix + name,
          TensorCodec.encode(t, DType.FLOAT64)));
    });
    return new TensorFile(tensors, metadata);
  }

  /** A model's parameters: shaped and in order by {@code layer}, or flat in name order when it is null. */
  public static Map<String, Tensor> parameters(String model, TrainerState s, LayerSpec layer) {
    if (layer == null) {
      Map<String, Tensor> flat = new LinkedHashMap<>();
      new TreeMap<>(s.params).forEach((name, v) -> flat.put(name, Tensor.wrap(v.clone(), v.length)));
      return flat;
    }
    try {
      return ModelSources.fromState(model, s).stateDictFor(layer.create());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model '" + model + "' does not fit the layer " + layer + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * {@code model}, {@code version}, {@code records}, {@code loss} (the mean since the last snapshot,
   * {@code NaN} when none), {@code eventTime} (of the last record trained on), {@code layer} (with a
   * layer) and {@code source} ({@code savepoint}).
   */
  public static Map<String, String> metadata(String model, TrainerState s, LayerSpec layer) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("version", Long.toString(s.version));
    m.put("records", Long.toString(s.records));
    m.put("loss", Double.toString(loss(s)));
    m.put("eventTime", Instant.ofEpochMilli(s.eventTime).toString());
    if (layer != null) {
      m.put("layer", layer.type());
    }
    m.put("source", "savepoint");
    return m;
  }

  /** One line of {@code export --savepoint --list}. */
  public static String describe(String model, TrainerState s, LayerSpec layer) {
    StringBuilder b = new StringBuilder(model).append(": version ").append(s.version).append(", records ")
        .append(s.records).append(", loss ").append(loss(s)).append(" (mean of ").append(s.lossCount)
        .append(s.lossCount == 1 ? " record" : " records").append(" since the last snapshot), event time ")
        .append(Instant.ofEpochMilli(s.eventTime)).append(", parameters");
    String sep = " ";
    for (Map.Entry<String, Tensor> p : parameters(model, s, layer).entrySet()) {
      int n = p.getValue().numel();
      b.append(sep).append(p.getKey()).append(' ').append(layer == null ? n + (n == 1 ? " value" : " values")
          : Shapes.format(p.getValue().shape()));
      sep = ", ";
    }
    TreeSet<String> buffers = new TreeSet<>();
    s.optimizer.keySet().forEach(k -> buffers.add(k.substring(k.indexOf('.') + 1)));
    b.append(", optimizer state ").append(buffers.isEmpty() ? "none" : String.join(" ", buffers));
    if (s.batchCount > 0) {
      b.append(", ").append(s.batchCount).append(" records of a mini-batch pending");
    }
    return b.toString();
  }

  private static double loss(TrainerState s) {
    return s.lossCount == 0 ? Double.NaN : s.lossSum / s.lossCount;
  }
}
