package dev.streamgrad.layers;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.nn.Module;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code layer: {type: sequential, layers: [{type: fft-magnitude}, {type: conv2d, kernel: [3, 3]}]}}:
 * a chain ({@link Sequential}) of any registered layers, trained end to end.
 */
public final class SequentialLayer implements LayerType {
  @Override
  public String name() {
    return "sequential";
  }

  @Override
  public LayerSpec read(Section s, LayerRegistry registry) throws SpecException {
    s.allow("type", "layers");
    List<Section> items = s.sections("layers");
    if (items == null) {
      throw s.error("layers", "missing (a list of layer mappings, applied in order)");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (Section item : items) {
      layers.add(registry.read(item));
    }
    return new Spec(layers);
  }

  /** The configured chain. */
  public static final class Spec implements LayerSpec {
    private static final long serialVersionUID = 1L;
    private final List<LayerSpec> layers;

    public Spec(List<LayerSpec> layers) {
      if (layers.isEmpty()) {
        throw new IllegalArgumentException("a sequential needs at least one layer");
      }
      this.layers = List.copyOf(layers);
    }

    public List<LayerSpec> layers() {
      return layers;
    }

    @Override
    public String type() {
      return "sequential";
    }

    @Override
    public Module create() {
      List<Module> modules = new ArrayList<>();
      for (LayerSpec l : layers) {
        modules.add(l.create());
      }
      return new Sequential(modules);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec && ((Spec) o).layers.equals(layers);
    }

    @Override
    public int hashCode() {
      return layers.hashCode();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("sequential[");
      for (int i = 0; i < layers.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(layers.get(i));
      }
      return b.append(']').toString();
    }
  }
}
