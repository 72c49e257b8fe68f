package dev.streamgrad.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.DType;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.records.RecordLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A generator's shape is checked against the heap before the job starts (records.RecordLimits). */
class RecordSizeSpecTest {
  private static String spec(int parallelism, String shape, String dtype) {
    return String.join("\n",
        "parallelism: " + parallelism,
        "source: {type: generator, count: 4, shape: " + shape + ", dtype: " + dtype + "}",
        "layer: {type: conv2d, kernel: [3, 3]}",
        "train: {optimizer: {type: sgd, lr: 0.1}}",
        "sink: {type: print}",
        "");
  }

  private static JobSpec parse(String yaml) throws SpecException {
    return JobSpecParser.parse("j.yaml", "j", yaml, List.of());
  }

  @Test
  void aShapeBeyondTheHeapIsRejectedNamingTheKeyAndTheLimit() {
    // the case: passed the old check and failed at run time
    assertThatThrownBy(() -> parse(spec(2, "[65536, 65536]", "float64"))).isInstanceOf(SpecException.class)
        .hasMessage("j.yaml: source.shape: [65536, 65536] is 4,294,967,296 elements, more than the "
            + RecordLimits.forThisJvm(2).describe(DType.FLOAT64) + " (docs/jobs.md, \"Record size\")");
    assertThatThrownBy(() -> parse(spec(2, "[65537, 1]", "float64")))
        .hasMessage("j.yaml: source.shape: each dimension must be at most 65536, got [65537,1]");
  }

  @Test
  void theLargestShapeWithinTheLimitPassesAndOneRowMoreFails() throws SpecException {
    for (int p : new int[] {1, 2, 8}) {
      for (String dtype : new String[] {"float64", "float32"}) {
        long max = RecordLimits.forThisJvm(p).maxElements(DType.valueOf(dtype.toUpperCase(java.util.Locale.ROOT)));
        int w = (int) Math.min(65536, max);
        int h = (int) (max / w);
        assertThat(((GeneratorSpec) parse(spec(p, "[" + h + ", " + w + "]", dtype)).source()).shape())
            .containsExactly(h, w);
        String over = "[" + (h + 1) + ", " + w + "]";
        assertThatThrownBy(() -> parse(spec(p, over, dtype))).as("p %d %s", p, dtype)
            .hasMessageStartingWith("j.yaml: source.shape: " + over + " is ");
      }
    }
  }

  @Test
  void moreParallelismLeavesLessRoomPerRecord() throws SpecException {
    long one = RecordLimits.forThisJvm(1).maxElements(DType.FLOAT64);
    int w = 65536;
    int h = (int) (one / w);
    String shape = "[" + h + ", " + w + "]";
    assertThat(parse(spec(1, shape, "float64")).parallelism()).isEqualTo(1);
    assertThatThrownBy(() -> parse(spec(4, shape, "float64"))).hasMessageContaining("a job of parallelism 4 holds");
  }

  @Test
  void thePredictorsGeneratorIsCheckedToo() {
    String yaml = spec(2, "[8, 8]", "float64")
        + "predict:\n  source: {type: generator, count: 2, shape: [65536, 65536]}\n  sink: {type: print}\n";
    assertThatThrownBy(() -> parse(yaml)).hasMessageStartingWith("j.yaml: predict.source.shape: [65536, 65536] is"
        + " 4,294,967,296 elements, more than the ");
  }
}
