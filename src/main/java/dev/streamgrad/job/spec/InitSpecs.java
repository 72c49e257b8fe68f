package dev.streamgrad.job.spec;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.modelstate.ModelSources;
import dev.streamgrad.modelstate.ModelSources.ModelSourceException;
import dev.streamgrad.modelstate.StartingPoint;
import dev.streamgrad.modelstate.WarmStartLayer;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code train.init} (a warm start): exactly one of {@code snapshot: PATH} (the trainer's
 * snapshot files or folder; {@code version: V}, default the newest), {@code file: PATH} (an
 * {@code .npz}, {@code .safetensors} or {@code .json} tensor file) or {@code savepoint: PATH} (a
 * savepoint or retained checkpoint of a job with a trainer), and {@code model: NAME} when the
 * source holds more than one model. The source is loaded and checked against the layer now, so any
 * problem is a spec error on the key that names it.
 */
final class InitSpecs {
  private static final List<String> KINDS = List.of("snapshot", "file", "savepoint");

  private InitSpecs() {}

  /** {@code layer}, or {@code layer} started from the model {@code init} names when it is present. */
  static LayerSpec read(Section init, LayerSpec layer, TrainConfig train) throws SpecException {
    if (init == null) {
      return layer;
    }
    init.allow("snapshot", "file", "savepoint", "model", "version");
    List<String> given = KINDS.stream().filter(init::has).toList();
    if (given.size() != 1) {
      throw init.error(given.isEmpty() ? null : given.get(1), given.isEmpty()
          ? "give one of snapshot: PATH, file: PATH or savepoint: PATH"
          : "give only one of snapshot, file and savepoint, got " + String.join(" and ", given));
    }
    String kind = given.get(0);
    String path = init.requiredString(kind);
    String model = init.string("model", null);
    Long version = null;
    if (init.has("version")) {
      if (!kind.equals("snapshot")) {
        throw init.error("version", "applies to snapshot only (a " + kind + " holds one version of each model)");
      }
      version = init.integer("version", 0, 0);
    }
    StartingPoint start;
    try {
      start = switch (kind) {
        case "snapshot" -> ModelSources.snapshot(List.of(Path.of(path)), model, version);
        case "file" -> ModelSources.file(Path.of(path), model);
        default -> ModelSources.savepoint(path, model, "hashmap");
      };
    } catch (ModelSourceException e) {
      throw init.error(kind, path + ": " + e.getMessage());
    }
    try {
      return WarmStartLayer.of(layer, train, start.in(path));
    } catch (IllegalArgumentException e) {
      throw init.error(kind, path + " does not fit the layer " + layer + ": " + e.getMessage());
    }
  }
}
