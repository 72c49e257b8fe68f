package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A savepoint of the conv2d-only state layout (committed under
 * {@code src/test/resources/savepoints/trainer-conv2d-0.x}, written by {@link LegacySavepointWriter}
 * before the trainer learned state dicts) restores into today's trainer: every snapshot after the
 * restore equals, bit for bit, the snapshot of the same version of a run that never stopped. So
 * the filter, the bias, Adam's moments and step, the pending mini-batch's gradients and the loss
 * guard's window all came through. (The evaluation, which that layout predates, starts at the restore.)
 */
class TrainerStateCompatibilityITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @Test
  void aSavepointOfTheConv2dLayoutResumesExactly() throws Exception {
    LegacySavepointWriter.OUT.clear();
    LegacySavepointWriter.build(RateLimiterStrategy.noOp(), null).execute("uninterrupted");
    Map<String, List<FilterSnapshot>> reference = byModel(new ArrayList<>(LegacySavepointWriter.OUT));

    Path savepoint = Paths.get(getClass().getResource("/savepoints/trainer-conv2d-0.x/_metadata").toURI()).getParent();
    LegacySavepointWriter.OUT.clear();
    LegacySavepointWriter.build(RateLimiterStrategy.noOp(), savepoint.toUri().toString()).execute("restored");
    Map<String, List<FilterSnapshot>> resumed = byModel(new ArrayList<>(LegacySavepointWriter.OUT));

    assertThat(resumed.keySet()).containsExactlyInAnyOrderElementsOf(reference.keySet());
    for (String model : reference.keySet()) {
      List<FilterSnapshot> all = reference.get(model);
      List<FilterSnapshot> after = resumed.get(model);
      assertThat(after).as("model %s resumed in the middle", model).isNotEmpty().hasSizeLessThan(all.size());
      // the resumed run's snapshots are exactly the tail of the uninterrupted run's, field for field,
      // but for the evaluation: that savepoint predates it, so it starts at the restore
      List<FilterSnapshot> tail = all.subList(all.size() - after.size(), all.size());
      assertThat(withoutEvaluation(after)).as(model).isEqualTo(withoutEvaluation(tail));
      assertThat(after.get(0).getEvaluation().getPrequentialRecords())
          .as("evaluated since the restore only").isLessThan(tail.get(0).getEvaluation().getPrequentialRecords());
      assertThat(after.get(after.size() - 1).getEvaluation().getPrequentialRecords()).isPositive();
      assertThat(after.get(0).getLayer()).isEqualTo("conv2d");
      assertThat(after.get(0).getParameters()).extracting(p -> p.getName()).containsExactly("filter", "bias");
    }
  }

  private static List<FilterSnapshot> withoutEvaluation(List<FilterSnapshot> snaps) {
    return snaps.stream().map(s -> FilterSnapshot.newBuilder(s).setEvaluation(null).build()).toList();
  }

  private static Map<String, List<FilterSnapshot>> byModel(List<FilterSnapshot> snaps) {
    snaps.sort(Comparator.comparing(FilterSnapshot::getModel).thenComparing(FilterSnapshot::getVersion));
    return snaps.stream().collect(Collectors.groupingBy(FilterSnapshot::getModel, Collectors.toList()));
  }
}
