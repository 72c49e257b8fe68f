package dev.streamgrad.modelstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.models.TensorFile;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed savepoint of the conv2d-only state layout ({@code trainer-conv2d-0.x}, see {@code
 * TrainerStateCompatibilityITCase}) reads as state dicts, and a savepoint written from what was read
 * reads back the same, field for field. No MiniCluster of its own: the reads and the write run on
 * the embedded environment the CLI uses.
 */
class LegacySavepointReadITCase {
  @TempDir
  Path dir;

  @Test
  void theConv2dLayoutReadsAsStateDictsAndWritesBackTheSame() throws Exception {
    Path legacy = Paths.get(getClass().getResource("/savepoints/trainer-conv2d-0.x/_metadata").toURI());
    SortedMap<String, TrainerState> models = ModelSavepoints.read(legacy.toString(), "hashmap");
    assertThat(models).containsOnlyKeys("m0", "m1", "m2");
    for (TrainerState s : models.values()) {
      assertThat(s.params).containsOnlyKeys("filter", "bias");
      assertThat(s.params.get("filter")).hasSize(9);
      assertThat(s.params.get("bias")).hasSize(1);
      assertThat(s.filter).as("migrated").isNull();
      assertThat(s.version).isPositive();
      assertThat(s.records).isGreaterThanOrEqualTo(3 * s.version); // mini-batches of 3
      assertThat(s.optimizer).containsKeys("0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq", "0.step", "1.exp_avg");
    }

    // exported with the layer's shapes (the legacy job's conv2d 3x3), as export --savepoint --spec does
    TensorFile file = SavepointExport.toFile(models, Conv2dSpec.seeded(3, 3, 11), true);
    assertThat(file.tensors()).containsOnlyKeys("m0/filter", "m0/bias", "m1/filter", "m1/bias", "m2/filter",
        "m2/bias");
    assertThat(file.tensors().get("m1/filter").getShape()).containsExactly(3, 3);
    assertThat(file.tensors().get("m1/bias").getShape()).containsExactly(1, 1);
    assertThat(file.metadata()).containsEntry("m1/version", Long.toString(models.get("m1").version))
        .containsEntry("m1/layer", "conv2d").containsEntry("m1/source", "savepoint");
    assertThat(SavepointExport.describe("m1", models.get("m1"), null)).startsWith("m1: version "
        + models.get("m1").version).contains("parameters bias 1 value, filter 9 values",
        "optimizer state exp_avg exp_avg_sq max_exp_avg_sq step");
    assertThatThrownBy(() -> SavepointExport.toFile(models, Conv2dSpec.seeded(5, 5, 11), true))
        .hasMessageContaining("model 'm0' does not fit the layer")
        .hasMessageContaining("filter has 9 values but the layer's [5, 5] has 25");

    Path written = dir.resolve("rewritten");
    ModelSavepoints.write(models, 128, written);
    SortedMap<String, TrainerState> back = ModelSavepoints.read(written.toString(), "hashmap");
    assertThat(back).containsOnlyKeys(models.keySet());
    models.forEach((m, s) -> assertThat(back.get(m)).as(m).usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class).isEqualTo(s));
  }
}
