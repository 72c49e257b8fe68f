package dev.streamgrad.records;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.NamedTensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state dict a {@link FilterSnapshot} carries, in one place for every reader and writer.
 *
 * <p>Since version 2 of the schema a snapshot lists every parameter by its dotted name in
 * {@code parameters}; the older fields {@code filter} and {@code bias} are filled from the model's
 * one conv2d (a parameter named {@code filter} or ending in {@code .filter}, and its one-element
 * {@code bias}), so that consumers written for conv2d snapshots keep working. A snapshot written
 * before version 2 has no {@code parameters}: its state dict is {@code filter [kh, kw]} and
 * {@code bias [1, 1]}, the tutorial's conv2d.
 */
public final class SnapshotParameters {
  /** The {@code filter} field of a model without exactly one conv2d: an empty tensor of shape [0]. */
  private static final dev.streamgrad.avro.Tensor NO_FILTER = dev.streamgrad.avro.Tensor.newBuilder()
      .setShape(List.of(0)).setDtype(DType.FLOAT64).setData(ByteBuffer.allocate(0)).build();

  private SnapshotParameters() {}

  /**
   * The snapshot's parameters by name, in the model's order, each decoded and checked (finite
   * values, positive dimensions).
   *
   * @throws InvalidRecordException naming the parameter that is malformed or given twice
   */
  public static Map<String, Tensor> of(FilterSnapshot s) throws InvalidRecordException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    List<NamedTensor> named = s.getParameters();
    if (named == null || named.isEmpty()) {
      try {
        out.put("filter", TensorCodec.decode(s.getFilter()));
      } catch (InvalidRecordException e) {
        throw e.in("filter");
      }
      if (!Double.isFinite(s.getBias())) {
        throw new InvalidRecordException("bias " + s.getBias() + " is not finite");
      }
      out.put("bias", Tensor.full(s.getBias(), 1, 1));
      return out;
    }
    for (NamedTensor p : named) {
      if (p == null || p.getName() == null) {
        throw new InvalidRecordException("parameters: an entry or its name is missing (null)");
      }
      Tensor t;
      try {
        t = TensorCodec.decode(p.getTensor());
      } catch (InvalidRecordException e) {
        throw e.in("parameters." + p.getName());
      }
      if (out.put(p.getName(), t) != null) {
        throw new InvalidRecordException("parameters: '" + p.getName() + "' is given twice");
      }
    }
    return out;
  }

  /** The state dict as the snapshot's {@code parameters}, float64, in the map's order. */
  public static List<NamedTensor> encode(Map<String, Tensor> state) {
    List<NamedTensor> out = new ArrayList<>(state.size());
    state.forEach((name, t) -> out.add(NamedTensor.newBuilder()
        .setName(name).setTensor(TensorCodec.encode(t, DType.FLOAT64)).build()));
    return out;
  }

  /**
   * Sets {@code layer}, {@code parameters} and the conv2d fields {@code filter} and {@code bias} of
   * a snapshot being built from a model's state dict.
   */
  public static FilterSnapshot.Builder fill(FilterSnapshot.Builder b, String layer, Map<String, Tensor> state) {
    String filterName = null;
    for (String name : state.keySet()) {
      if ((name.equals("filter") || name.endsWith(".filter")) && state.get(name).dim() == 2) {
        if (filterName != null) {
          filterName = null; // two conv2d filters: neither is "the" filter
          break;
        }
        filterName = name;
      }
    }
    Tensor bias = filterName == null ? null
        : state.get(filterName.substring(0, filterName.length() - "filter".length()) + "bias");
    boolean conv2d = bias != null && bias.numel() == 1;
    return b.setLayer(layer)
        .setParameters(encode(state))
        .setFilter(conv2d ? TensorCodec.encode(state.get(filterName), DType.FLOAT64) : NO_FILTER)
        .setBias(conv2d ? bias.buffer()[0] : Double.NaN);
  }
}
