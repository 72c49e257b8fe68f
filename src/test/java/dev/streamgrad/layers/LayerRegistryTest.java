package dev.streamgrad.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.nn.Module;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer types are found through ServiceLoader or by class name; each reads and checks its own keys. */
class LayerRegistryTest {
  private static final LayerRegistry REGISTRY = LayerRegistry.load();

  private static Section layer(String yaml) throws Exception {
    return new Section("jobs/x.yaml", "layer", (ObjectNode) new YAMLMapper().readTree(yaml));
  }

  private static LayerSpec read(String yaml) throws Exception {
    return REGISTRY.read(layer(yaml));
  }

  @Test
  void theBuiltInLayersRegisterThroughTheServiceLoader() {
    assertThat(REGISTRY.names()).contains("bad-fft", "conv2d", "fft-magnitude", "sequential");
  }

  @Test
  void aChainNamesItsParametersAsTorchSequentialDoes() throws Exception {
    LayerSpec chain = read("{type: sequential, layers: [{type: fft-magnitude}, {type: conv2d, kernel: [3, 3]}]}");
    assertThat(chain).hasToString("sequential[fft-magnitude, conv2d 3x3 seed 0]");
    Module m = chain.create();
    assertThat(m.namedParameters().keySet()).containsExactly("1.filter", "1.bias");
    assertThat(m.outputShape(8, 10)).containsExactly(6, 4);
    assertThat(m.forward(dev.streamgrad.autograd.Tensor.randn(3L, 8, 10)).shape()).containsExactly(6, 4);
    assertThat(chain.create().stateDict().get("1.filter").toArray())
        .containsExactly(m.stateDict().get("1.filter").toArray());
  }

  @Test
  void aChainSaysWhichOfItsLayersCannotTakeTheInput() throws Exception {
    Module m = read("{type: sequential, layers: [{type: fft-magnitude}, {type: conv2d, kernel: [5, 5]}]}").create();
    assertThatThrownBy(() -> m.outputShape(8, 6)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("layer 1: conv2d input of shape [8, 4] is smaller than the filter of shape [5, 5]");
  }

  @Test
  void errorsNameTheFullKeyPath() {
    assertThatThrownBy(() -> read("{type: sequential, layers: [{type: fft-magnitude}, {type: conv2d}]}"))
        .isInstanceOf(SpecException.class)
        .hasMessage("jobs/x.yaml: layer.layers[1].kernel: missing (required for conv2d unless"
            + " layer.layers[1].init.filter is given)");
    assertThatThrownBy(() -> read("{type: sequential, layers: [{type: fft-magnitude, kernel: [3, 3]}]}"))
        .hasMessage("jobs/x.yaml: layer.layers[0].kernel: unknown key (expected one of: type)");
    assertThatThrownBy(() -> read("{type: sequential, layers: [3]}"))
        .hasMessage("jobs/x.yaml: layer.layers[0]: expected a mapping, got number 3");
    assertThatThrownBy(() -> read("{type: sequential}"))
        .hasMessage("jobs/x.yaml: layer.layers: missing (a list of layer mappings, applied in order)");
    assertThatThrownBy(() -> read("{type: my-layer}")).hasMessageStartingWith(
        "jobs/x.yaml: layer.type: unknown layer type 'my-layer' (expected one of: bad-fft, conv2d, fft-magnitude,");
  }

  @Test
  void aLayerTypeMayBeNamedByItsClass() throws Exception {
    assertThat(read("{type: dev.streamgrad.layers.FftMagnitudeLayer}")).isEqualTo(new FftMagnitudeLayer());
    assertThatThrownBy(() -> read("{type: java.lang.String}"))
        .hasMessage("jobs/x.yaml: layer.type: java.lang.String is not a dev.streamgrad.layers.LayerType");
    assertThatThrownBy(() -> read("{type: com.example.Missing}"))
        .hasMessageStartingWith("jobs/x.yaml: layer.type: unknown layer type 'com.example.Missing'");
  }

  /** A second provider of the name conv2d, as an extension jar that collides with a built-in would be. */
  public static final class AnotherConv2d implements LayerType {
    @Override
    public String name() {
      return "conv2d";
    }

    @Override
    public LayerSpec read(Section section, LayerRegistry registry) {
      return new FftMagnitudeLayer();
    }
  }

  @Test
  void twoProvidersOfOneNameAreRefusedWithBothClasses(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/dev.streamgrad.layers.LayerType");
    Files.createDirectories(services.getParent());
    Files.writeString(services, AnotherConv2d.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> LayerRegistry.load(loader)).isInstanceOf(IllegalStateException.class)
          .hasMessageContainingAll("layer type 'conv2d' is registered twice", Conv2dLayer.class.getName(),
              AnotherConv2d.class.getName());
    }
  }
}
