package org.example.residual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.layers.LayerRegistry;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import org.junit.jupiter.api.Test;

/** The layer is found through this jar's services file and reads its own keys, with streamgrad's error format. */
class ResidualTanhLayerTest {
  private static LayerSpec read(String yaml) throws Exception {
    return LayerRegistry.load().read(new Section("job.yaml", "layer", (ObjectNode) new YAMLMapper().readTree(yaml)));
  }

  @Test
  void registeredUnderItsName() throws Exception {
    assertThat(LayerRegistry.load().names()).contains("residual-tanh", "conv2d");
    Module m = read("{type: residual-tanh, kernel: [3, 3], seed: 4, scale: 2.0}").create();
    assertThat(m.stateDict().get("scale").item()).isEqualTo(2.0);
    assertThat(m.stateDict().get("skip").item()).isEqualTo(0.5);
    assertThat(read("{type: residual-tanh, kernel: [3, 3], seed: 4}").create().stateDict().get("weight").toArray())
        .containsExactly(m.stateDict().get("weight").toArray());
  }

  @Test
  void itsKeysAreCheckedWithTheirPath() {
    assertThatThrownBy(() -> read("{type: residual-tanh}")).isInstanceOf(SpecException.class)
        .hasMessage("job.yaml: layer.kernel: missing (the correlation's [height, width])");
    assertThatThrownBy(() -> read("{type: residual-tanh, kernel: [3, 3], skp: 1}"))
        .hasMessage("job.yaml: layer.skp: unknown key (expected one of: type, kernel, seed, scale, skip)");
    assertThatThrownBy(() -> read("{type: residual-tanh, kernel: [3, 3], seed: 1.5}"))
        .hasMessageStartingWith("job.yaml: layer.seed: ");
  }
}
