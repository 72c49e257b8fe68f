package dev.streamgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTest {

  /** {@code weight * x + bias}, elementwise. */
  static final class Affine extends Module {
    final Parameter weight;
    final Parameter bias;

    Affine(int n, long seed) {
      weight = registerParameter("weight", new Parameter(Tensor.randn(seed, n)));
      bias = registerParameter("bias", new Parameter(Tensor.zeros(1, 1)));
    }

    @Override
    public Tensor forward(Tensor input) {
      return weight.mul(input).add(bias.reshape(-1).sum());
    }
  }

  /** Two affine layers and a scale, nested, to check dotted names and order. */
  static final class Net extends Module {
    final Affine first;
    final Parameter scale;
    final Affine second;

    Net(long seed) {
      first = registerModule("first", new Affine(3, seed));
      scale = registerParameter("scale", new Parameter(Tensor.ones(1, 1)));
      second = registerModule("second", new Affine(3, seed + 1));
    }

    @Override
    public Tensor forward(Tensor input) {
      return second.forward(first.forward(input).mul(scale.reshape(-1).sum()));
    }
  }

  @Test
  void parametersAreListedInRegistrationOrderWithDottedNames() {
    Net net = new Net(1);

    assertThat(net.namedParameters().keySet())
        .containsExactly("scale", "first.weight", "first.bias", "second.weight", "second.bias");
    assertThat(net.parameters()).hasSize(5);
    assertThat(net.parameters().get(0)).isSameAs(net.scale);
    assertThat(net.namedParameters().get("second.bias")).isSameAs(net.second.bias);
    assertThat(net.parameters()).allMatch(Tensor::requiresGrad).allMatch(Tensor::isLeaf);
  }

  /** A module whose registration is driven by the test. */
  static final class Open extends Module {
    void add(String name) {
      registerParameter(name, new Parameter(Tensor.zeros(1)));
    }

    @Override
    public Tensor forward(Tensor input) {
      return input;
    }
  }

  @Test
  void namesMustBeUniqueAndWithoutDots() {
    Open m = new Open();
    m.add("w");

    assertThat(m.namedParameters()).containsOnlyKeys("w");
    assertThatThrownBy(() -> m.add("w")).hasMessageContaining("duplicate name 'w' in Open");
    assertThatThrownBy(() -> m.add("a.b")).hasMessageContaining("'a.b'");
    assertThatThrownBy(() -> m.add("")).hasMessageContaining("invalid");
    assertThat(m.namedParameters()).containsOnlyKeys("w");
  }

  @Test
  void parameterIsALeafCopyThatRequiresGrad() {
    Tensor data = Tensor.of(new double[] {1, 2}, 2);
    Parameter p = new Parameter(data);
    data.set(5, 0);

    assertThat(p.get(0)).isEqualTo(1);
    assertThat(p.requiresGrad()).isTrue();
    assertThat(p.isLeaf()).isTrue();
  }

  @Test
  void backwardFillsEveryParameterAndZeroGradClearsThem() {
    Net net = new Net(2);
    Tensor x = Tensor.of(new double[] {1, -2, 3}, 3);
    MseLoss.mseLoss(net.forward(x), Tensor.zeros(3)).backward();

    assertThat(net.parameters()).allSatisfy(p -> assertThat(p.grad()).isNotNull());
    net.zeroGrad();
    assertThat(net.parameters()).allSatisfy(p -> assertThat(p.grad()).isNull());
  }

  @Test
  void stateDictIsACopyByName() {
    Net net = new Net(3);
    Map<String, Tensor> state = net.stateDict();

    assertThat(state.keySet()).containsExactlyElementsOf(net.namedParameters().keySet());
    assertThat(state.get("first.weight").toArray()).containsExactly(net.first.weight.toArray());
    state.get("first.weight").set(100, 0);
    assertThat(net.first.weight.get(0)).isNotEqualTo(100);
    assertThat(state.get("first.weight").requiresGrad()).isFalse();
  }

  @Test
  void loadStateDictCopiesValuesIn() {
    Net source = new Net(4);
    Net target = new Net(5);
    Parameter before = target.first.weight;
    target.loadStateDict(source.stateDict());

    assertThat(target.first.weight).isSameAs(before);
    source.namedParameters().forEach((name, p) ->
        assertThat(target.namedParameters().get(name).toArray()).as(name).containsExactly(p.toArray()));
    Tensor x = Tensor.of(new double[] {0.5, 1, -1}, 3);
    assertThat(target.forward(x).toArray()).containsExactly(source.forward(x).toArray());
  }

  @Test
  void fileRoundTripRestoresTheModelExactly(@TempDir Path dir) throws IOException {
    Net net = new Net(6);
    Path file = dir.resolve("net.sgsd");
    StateDicts.save(net.stateDict(), file);
    Net restored = new Net(7);
    restored.loadStateDict(StateDicts.load(file));

    net.namedParameters().forEach((name, p) -> {
      assertThat(restored.namedParameters().get(name).shape()).containsExactly(p.shape());
      assertThat(restored.namedParameters().get(name).toArray()).containsExactly(p.toArray());
    });
  }

  @Test
  void loadingAFileThatIsNotAStateDictFails(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("junk");
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    assertThatThrownBy(() -> StateDicts.load(file)).isInstanceOf(IOException.class).hasMessageContaining("bad magic");
  }

  @Test
  void shapeMismatchOnLoadNamesTheParameterAndBothShapesAndLoadsNothing() {
    Net net = new Net(8);
    Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
    double[] before = net.first.weight.toArray();
    state.put("first.weight", Tensor.zeros(4));
    state.put("scale", Tensor.zeros(1, 1));

    assertThatThrownBy(() -> net.loadStateDict(state))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Error(s) in loading state_dict for Net")
        .hasMessageContaining("size mismatch for first.weight: copying a param with shape [4] from checkpoint,"
            + " the shape in current model is [3].");
    assertThat(net.scale.item()).as("nothing loaded").isEqualTo(1);
    assertThat(net.first.weight.toArray()).containsExactly(before);
  }

  @Test
  void missingAndUnexpectedKeysAreReported() {
    Net net = new Net(9);
    Map<String, Tensor> state = new LinkedHashMap<>(net.stateDict());
    state.remove("second.bias");
    state.put("third.weight", Tensor.zeros(3));

    assertThatThrownBy(() -> net.loadStateDict(state))
        .hasMessageContaining("Missing key(s) in state_dict: [second.bias].")
        .hasMessageContaining("Unexpected key(s) in state_dict: [third.weight].");
  }

  @Test
  void mseLossIsTheMeanOfSquaredErrors() {
    Tensor input = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
    Tensor target = Tensor.of(new double[] {0, 2, 5, 1}, 2, 2);

    assertThat(MseLoss.mseLoss(input, target).item()).isEqualTo((1 + 0 + 4 + 9) / 4.0);
    assertThat(MseLoss.mseLoss(input, target).dim()).isZero();
    assertThatThrownBy(() -> MseLoss.mseLoss(input, Tensor.zeros(4)))
        .hasMessageContaining("[2, 2]").hasMessageContaining("[4]");
  }

  @Test
  void parametersCanBeHandedToAnOptimizerList() {
    List<Parameter> params = new Net(10).parameters();
    assertThat(params).doesNotContainNull();
  }
}
