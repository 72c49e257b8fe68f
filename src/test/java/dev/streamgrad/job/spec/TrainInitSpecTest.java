package dev.streamgrad.job.spec;

import static dev.streamgrad.job.spec.SpecChecks.fails;
import static dev.streamgrad.job.spec.SpecChecks.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.flink.ModelTrainer;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.modelstate.StartingPoint;
import dev.streamgrad.modelstate.WarmStartLayer;
import dev.streamgrad.nn.Module;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.init}: a warm start from a tensor file is loaded and checked when the spec is read
 * (any problem is a spec error on the key that named the source), the job's modules start from the
 * file's parameters, and a new model's state from its version; without {@code init} the layer is the
 * configured one, as before. Snapshots and savepoints as sources: {@code WarmStartITCase} and
 * {@code ModelsInAndOutITCase}.
 */
class TrainInitSpecTest {
  private static final String TRAIN = String.join("\n",
      "name: t",
      "source: {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
      "train:",
      "  optimizer: {type: sgd, lr: 0.01}",
      "sink: {type: avro-file, path: out/t}",
      "");

  @TempDir
  Path dir;

  @Test
  void withoutInitTheLayerIsTheConfiguredOne() throws Exception {
    assertThat(parse(TRAIN).layer()).isInstanceOf(Conv2dSpec.class);
  }

  @Test
  void aFileGivesTheInitialParametersAndItsMetadataTheVersion() throws Exception {
    double[] filter = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    Path file = write("alpha.safetensors", Map.of("model", "alpha", "version", "7", "records", "21"),
        "filter", Tensor.wrap(filter, 3, 3), "bias", Tensor.wrap(new double[] {0.5}, 1, 1));
    JobSpec spec = parse(TRAIN, "train.init.file=" + file);
    assertThat(spec.layer()).isInstanceOf(WarmStartLayer.class);
    assertThat(spec.layer().type()).isEqualTo("conv2d");
    Module m = spec.layer().create();
    assertThat(m.namedParameters().get("filter").toArray()).containsExactly(filter);
    assertThat(m.namedParameters().get("bias").toArray()).containsExactly(0.5);
    TrainerState s = new ModelTrainer(spec.layer(), spec.train()).initialState();
    assertThat(s.params.get("filter")).containsExactly(filter);
    assertThat(s.version).isEqualTo(7);
    assertThat(s.records).isEqualTo(21);
    assertThat(s.recordsAtSnapshot).isEqualTo(21);
    assertThat(s.optimizer).isEmpty();
  }

  @Test
  void problemsAreSpecErrorsOnTheKeyThatNamedTheSource() throws Exception {
    fails(TRAIN, "jobs/x.yaml: train.init: give one of snapshot: PATH, topic: NAME (with bootstrapServers), file:"
        + " PATH or savepoint: PATH", "train.init={}");
    fails(TRAIN, "jobs/x.yaml: train.init.savepoint: give only one of snapshot, topic, file and savepoint, got file"
        + " and savepoint", "train.init={file: a.npz, savepoint: sp}");
    fails(TRAIN, "jobs/x.yaml: train.init.version: applies to snapshot and topic only (a file holds one version of"
        + " each model)", "train.init={file: a.npz, version: 3}");
    fails(TRAIN, "jobs/x.yaml: train.init.bootstrapServers: missing (required)", "train.init={topic: snapshots}");
    fails(TRAIN, "jobs/x.yaml: train.init.bootstrapServers: goes with topic only",
        "train.init={file: a.npz, bootstrapServers: 'localhost:9092'}");
    fails(TRAIN, "jobs/x.yaml: train.init.file: a.txt: the file name must end in .npz, .safetensors or .json",
        "train.init.file=a.txt");
    fails(TRAIN, "jobs/x.yaml: train.init.colour: unknown key (expected one of: snapshot, topic, bootstrapServers,"
        + " file, savepoint, model, version)", "train.init={file: a.npz, colour: red}");

    Path big = write("big.npz", Map.of(), "filter", Tensor.zeros(5, 5), "bias", Tensor.zeros(1, 1));
    assertThatThrownBy(() -> parse(TRAIN, "train.init.file=" + big)).hasMessage("jobs/x.yaml: train.init.file: "
        + big + " does not fit the layer conv2d 3x3 seed 1: filter has shape [5, 5] but the layer's is [3, 3]"
        + " (the layer's parameters: filter [3, 3], bias [1, 1])");
    Path named = write("named.json", Map.of(), "weight", Tensor.zeros(3, 3), "bias", Tensor.zeros(1, 1));
    assertThatThrownBy(() -> parse(TRAIN, "train.init.file=" + named)).hasMessageContaining(
        "missing parameter(s) [filter]; unexpected parameter(s) [weight]");
    Path two = write("two.npz", Map.of(), "a/filter", Tensor.zeros(3, 3), "a/bias", Tensor.zeros(1, 1),
        "b/filter", Tensor.zeros(3, 3), "b/bias", Tensor.zeros(1, 1));
    assertThatThrownBy(() -> parse(TRAIN, "train.init.file=" + two)).hasMessage("jobs/x.yaml: train.init.file: "
        + two + ": the file's names (MODEL/NAME) hold 2 models ('a', 'b'): say which with model");
    assertThat(parse(TRAIN, "train.init={file: " + two + ", model: b}").layer()).isInstanceOf(WarmStartLayer.class);
  }

  @Test
  void anOptimizerStateOfAnotherKindIsRefused() throws Exception {
    JobSpec spec = parse(TRAIN);
    Map<String, double[]> params = Map.of("filter", new double[9], "bias", new double[1]);
    Map<String, double[]> adam = Map.of("0.exp_avg", new double[9], "0.exp_avg_sq", new double[9],
        "0.step", new double[] {3}, "1.exp_avg", new double[1], "1.exp_avg_sq", new double[1], "1.step",
        new double[] {3});
    StartingPoint fromAdam = new StartingPoint("savepoint", "a", params, null, adam, null, 3, 3);
    assertThatThrownBy(() -> WarmStartLayer.of(spec.layer(), spec.train(), fromAdam))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the optimizer state holds [exp_avg, exp_avg_sq, step] but sgd(")
        .hasMessageContaining("keeps []");
    StartingPoint none = new StartingPoint("savepoint", "a", params, null, Map.of(), null, 0, 2);
    assertThat(WarmStartLayer.of(spec.layer(), spec.train(), none).carriesOptimizer()).isTrue();
  }

  private Path write(String name, Map<String, String> metadata, Object... namedTensors) throws Exception {
    Map<String, dev.streamgrad.avro.Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < namedTensors.length; i += 2) {
      tensors.put((String) namedTensors[i], dev.streamgrad.records.TensorCodec.encode((Tensor) namedTensors[i + 1],
          DType.FLOAT64));
    }
    Path file = dir.resolve(name);
    TensorFileFormat.ofFileName(name).orElseThrow().write(new TensorFile(tensors, metadata), file);
    return file;
  }
}
