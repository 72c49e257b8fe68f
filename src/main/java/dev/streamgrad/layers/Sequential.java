package dev.streamgrad.layers;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;
import java.util.List;

/**
 * Modules applied one after the other, like {@code torch.nn.Sequential}: children named {@code 0},
 * {@code 1}, ..., so the parameters of the second are {@code 1.filter}, {@code 1.bias}, as in
 * PyTorch's state dict.
 */
public final class Sequential extends Module {
  private final Module[] layers;

  public Sequential(List<Module> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a sequential needs at least one layer");
    }
    this.layers = new Module[layers.size()];
    for (int i = 0; i < this.layers.length; i++) {
      this.layers[i] = registerModule(Integer.toString(i), layers.get(i));
    }
  }

  @Override
  public Tensor forward(Tensor input) {
    Tensor x = input;
    for (Module m : layers) {
      x = m.forward(x);
    }
    return x;
  }

  /** Each layer's output shape is the next one's input shape; an error names the layer by index. */
  @Override
  public int[] outputShape(int... inputShape) {
    int[] shape = inputShape;
    for (int i = 0; i < layers.length; i++) {
      try {
        shape = layers[i].outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("layer " + i + ": " + e.getMessage(), e);
      }
    }
    return shape;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Sequential(");
    for (int i = 0; i < layers.length; i++) {
      b.append(i == 0 ? "" : ", ").append(layers[i]);
    }
    return b.append(')').toString();
  }
}
