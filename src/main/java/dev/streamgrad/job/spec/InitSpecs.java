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
import java.time.Duration;
import java.util.List;

/**
 * Reads {@code train.init} (a warm start): exactly one of {@code snapshot: PATH} (the trainer's
 * snapshot files or folder; {@code version: V}, default the newest), {@code topic: NAME} with
 * {@code bootstrapServers} (a Kafka topic of snapshots, read to its current end; {@code version}
 * as for files), {@code file: PATH} (an
 * {@code .npz}, {@code .safetensors} or {@code .json} tensor file) or {@code savepoint: PATH} (a
 * savepoint or retained checkpoint of a job with a trainer), and {@code model: NAME} when the
 * source holds more than one model. The source is loaded and checked against the layer now, so any
 * problem is a spec error on the key that names it.
 */
final class InitSpecs {
  private static final List<String> KINDS = List.of("snapshot", "topic", "file", "savepoint");
  /** How long reading a snapshot topic to its end may take. */
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private InitSpecs() {}

  /** {@code layer}, or {@code layer} started from the model {@code init} names when it is present. */
  static LayerSpec read(Section init, LayerSpec layer, TrainConfig train) throws SpecException {
    if (init == null) {
      return layer;
    }
    init.allow("snapshot", "topic", "bootstrapServers", "file", "savepoint", "model", "version");
    List<String> given = KINDS.stream().filter(init::has).toList();
    if (given.size() != 1) {
      throw init.error(given.isEmpty() ? null : given.get(1), given.isEmpty()
          ? "give one of snapshot: PATH, topic: NAME (with bootstrapServers), file: PATH or savepoint: PATH"
          : "give only one of snapshot, topic, file and savepoint, got " + String.join(" and ", given));
    }
    String kind = given.get(0);
    String path = init.requiredString(kind);
    String model = init.string("model", null);
    Long version = null;
    String bootstrapServers = null;
    if (kind.equals("topic")) {
      bootstrapServers = init.requiredString("bootstrapServers");
    } else if (init.has("bootstrapServers")) {
      throw init.error("bootstrapServers", "goes with topic only");
    }
    if (init.has("version")) {
      if (!kind.equals("snapshot") && !kind.equals("topic")) {
        throw init.error("version", "applies to snapshot and topic only (a " + kind + " holds one version of each"
            + " model)");
      }
      version = init.integer("version", 0, 0);
    }
    StartingPoint start;
    try {
      start = switch (kind) {
        case "snapshot" -> ModelSources.snapshot(List.of(Path.of(path)), model, version);
        case "topic" -> ModelSources.snapshotTopic(bootstrapServers, path, model, version, TOPIC_TIMEOUT);
        case "file" -> ModelSources.file(Path.of(path), model);
        default -> ModelSources.savepoint(path, model, "hashmap");
      };
    } catch (ModelSourceException e) {
      throw init.error(kind, path + ": " + e.getMessage());
    }
    try {
      return WarmStartLayer.of(layer, train, start.in(kind.equals("topic") ? "topic " + path + " at "
          + bootstrapServers : path));
    } catch (IllegalArgumentException e) {
      throw init.error(kind, path + " does not fit the layer " + layer + ": " + e.getMessage());
    }
  }
}
