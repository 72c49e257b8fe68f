package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.job.AvroFiles;
import dev.streamgrad.records.SnapshotParameters;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer written outside streamgrad (examples/residual-tanh, its own Maven project, built and tested
 * by the maven-invoker-plugin before this test) streams and trains through the distribution's
 * command: {@code streamgrad run examples/residual-tanh/job.yaml --jar residual-tanh.jar}.
 */
class ExtensionLayerITCase {
  static final Path EXAMPLE = Path.of("examples", "residual-tanh").toAbsolutePath();
  static final Path JAR = EXAMPLE.resolve("target").resolve("residual-tanh.jar");

  @TempDir
  Path tmp;

  @BeforeAll
  static void built() {
    assertThat(JAR).as("built by the maven-invoker-plugin (mvn verify) or mvn package in " + EXAMPLE).isRegularFile();
  }

  @Test
  void theExampleLayerTrainsOnAStreamWithItsJarAdded() throws Exception {
    Path out = tmp.resolve("snapshots");
    Commands.Result r = Commands.streamgrad(tmp, "run", EXAMPLE.resolve("job.yaml").toString(), "--jar", JAR.toString(),
        "--web-port", "0", "--set", "source.count=4000", "--set", "train.snapshotEvery=500",
        "--set", "sink.path=" + out);
    assertThat(r.code()).as(r.describe()).isZero();
    assertThat(r.out()).contains("layer:  residual-tanh 3x3", "  scale [1] = ", "  skip [1] = ");

    List<FilterSnapshot> snaps = new java.util.ArrayList<>(AvroFiles.read(out, FilterSnapshot.class));
    snaps.sort(Comparator.comparing(FilterSnapshot::getModel).thenComparing(FilterSnapshot::getVersion));
    assertThat(snaps).extracting(FilterSnapshot::getModel).containsOnly("alpha", "beta");
    assertThat(snaps).hasSize(8);
    for (FilterSnapshot s : snaps) {
      assertThat(s.getLayer()).isEqualTo("residual-tanh");
      Map<String, Tensor> state = SnapshotParameters.of(s);
      assertThat(state.keySet()).containsExactly("weight", "bias", "scale", "skip");
      assertThat(state.get("weight").shape()).containsExactly(3, 3);
      // not a conv2d: the fields that predate the state dict say so
      assertThat(s.getFilter().getShape()).containsExactly(0);
      assertThat(s.getBias()).isNaN();
    }
    // it learns: each model's loss over its last 500 records is far below its first 500's
    FilterSnapshot first = snaps.get(0);
    FilterSnapshot last = snaps.get(3);
    assertThat(last.getModel()).isEqualTo(first.getModel());
    assertThat(last.getLoss()).isLessThan(first.getLoss() / 10);
  }

  @Test
  void withoutTheJarTheLayerTypeIsUnknownAndTheErrorSaysHowToAddIt() throws Exception {
    Commands.Result r = Commands.streamgrad(tmp, "run", EXAMPLE.resolve("job.yaml").toString(),
        "--set", "sink.path=" + tmp.resolve("x"));
    assertThat(r.code()).as(r.describe()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString()
        .contains("layer.type: unknown layer type 'residual-tanh'", "--jar");
    Commands.Result missing = Commands.streamgrad(tmp, "run", EXAMPLE.resolve("job.yaml").toString(), "--jar",
        tmp.resolve("absent.jar").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.errLines()).singleElement().asString().contains("--jar", "absent.jar: no such file");
  }
}
