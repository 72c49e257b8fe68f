package dev.streamgrad.modelstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.flink.TrainerState;
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

    Path written = dir.resolve("rewritten");
    ModelSavepoints.write(models, 128, written);
    SortedMap<String, TrainerState> back = ModelSavepoints.read(written.toString(), "hashmap");
    assertThat(back).containsOnlyKeys(models.keySet());
    models.forEach((m, s) -> assertThat(back.get(m)).as(m).usingRecursiveComparison()
        .withComparatorForType(Double::compare, Double.class).isEqualTo(s));
  }
}
