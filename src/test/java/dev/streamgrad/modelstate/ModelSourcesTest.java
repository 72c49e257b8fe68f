package dev.streamgrad.modelstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.records.TensorCodec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models from tensor files: prefixed names are one model each, unprefixed names one state dict. */
class ModelSourcesTest {
  @TempDir
  Path dir;

  @Test
  void aFileOfEveryModelGivesEachModelByItsPrefixWithItsMetadata() throws Exception {
    Map<String, dev.streamgrad.avro.Tensor> t = new LinkedHashMap<>();
    t.put("a/filter", TensorCodec.encode(Tensor.wrap(new double[] {1, 2, 3, 4}, 2, 2), DType.FLOAT64));
    t.put("a/bias", TensorCodec.encode(Tensor.wrap(new double[] {5}, 1, 1), DType.FLOAT64));
    t.put("b/filter", TensorCodec.encode(Tensor.wrap(new double[] {6, 7, 8, 9}, 2, 2), DType.FLOAT32));
    t.put("b/bias", TensorCodec.encode(Tensor.wrap(new double[] {10}, 1, 1), DType.FLOAT64));
    Path file = dir.resolve("all.safetensors");
    TensorFileFormat.SAFETENSORS.write(new TensorFile(t, Map.of("a/version", "12", "b/records", "40")), file);

    List<StartingPoint> all = ModelSources.fileModels(file);
    assertThat(all).extracting(StartingPoint::model).containsExactly("a", "b");
    assertThat(all.get(0).params().get("filter")).containsExactly(1, 2, 3, 4);
    assertThat(all.get(0).shapes().get("filter")).containsExactly(2, 2);
    assertThat(all.get(0).version()).isEqualTo(12);
    assertThat(all.get(1).params().get("filter")).containsExactly(6, 7, 8, 9); // float32 widened exactly
    assertThat(all.get(1).records()).isEqualTo(40);
    assertThat(all.get(1).carriesOptimizer()).isFalse();
    assertThat(ModelSources.file(file, "b").params().get("bias")).containsExactly(10);
    assertThatThrownBy(() -> ModelSources.file(file, null)).hasMessage(
        "the file's names (MODEL/NAME) hold 2 models ('a', 'b'): say which with model");
    assertThatThrownBy(() -> ModelSources.file(file, "c")).hasMessage("holds no model 'c'; it holds [a, b]");
  }

  @Test
  void unprefixedNamesAreOneModelNamedByItsMetadata() throws Exception {
    Path npz = dir.resolve("m.npz");
    TensorFileFormat.NPZ.write(TensorFile.of(Map.of("filter", TensorCodec.encode(Tensor.zeros(3, 3), DType.FLOAT64))),
        npz);
    TensorFileFormat.JSON.write(new TensorFile(Map.of(), Map.of("model", "alpha", "version", "x")),
        dir.resolve("m.npz.json"));
    assertThatThrownBy(() -> ModelSources.fileModels(npz))
        .hasMessage("metadata 'version' must be a whole number of 0 or more, got 'x'");
    TensorFileFormat.JSON.write(new TensorFile(Map.of(), Map.of("model", "alpha", "version", "7")),
        dir.resolve("m.npz.json"));
    assertThat(ModelSources.fileModels(npz)).singleElement().satisfies(p -> {
      assertThat(p.model()).isEqualTo("alpha");
      assertThat(p.version()).isEqualTo(7);
    });
    assertThatThrownBy(() -> ModelSources.file(npz, "beta")).hasMessage("holds model 'alpha', not 'beta'");
  }
}
