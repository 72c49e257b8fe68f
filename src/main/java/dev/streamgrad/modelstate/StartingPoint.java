package dev.streamgrad.modelstate;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.optim.lr.SchedulerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One model's parameters as a source outside the running job holds them (a snapshot, a tensor file,
 * a savepoint), with what else that source carries.
 *
 * @param source what the parameters came from, for messages and the run summary
 *     ({@code "snapshot out/snapshots"}, {@code "file alpha.npz"}, {@code "savepoint sp/savepoint-1"})
 * @param model the model's name in the source (null when the source does not name it)
 * @param params the values by parameter name, row-major
 * @param shapes each parameter's shape, or null when the source does not record shapes (a savepoint)
 * @param optimizer the optimizer's state dict, or null when the source does not carry it
 * @param schedule the learning-rate scheduler's state, or null when the source carries none
 * @param version optimizer updates applied (0 when the source does not say)
 * @param records records trained on (0 when the source does not say)
 */
public record StartingPoint(String source, String model, Map<String, double[]> params, Map<String, int[]> shapes,
    Map<String, double[]> optimizer, SchedulerState schedule, long version, long records) {

  /** The same, with {@code where} (the path it was read from) added to {@link #source()}. */
  public StartingPoint in(String where) {
    return new StartingPoint(source + " in " + where, model, params, shapes, optimizer, schedule, version, records);
  }

  /** Whether the source carries the optimizer's state (only a savepoint does). */
  public boolean carriesOptimizer() {
    return optimizer != null;
  }

  /**
   * The parameters as {@code module}'s state dict, checked as {@code load_state_dict(strict=True)}
   * checks: the same names, and each parameter's shape (or, when the source records no shapes, its
   * number of elements) equal to the module's.
   *
   * @throws IllegalArgumentException listing every missing and unexpected name and every mismatch
   */
  public Map<String, Tensor> stateDictFor(Module module) {
    Map<String, Parameter> own = module.namedParameters();
    List<String> errors = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>(own.keySet());
    missing.removeAll(params.keySet());
    Set<String> unexpected = new LinkedHashSet<>(params.keySet());
    unexpected.removeAll(own.keySet());
    if (!missing.isEmpty()) {
      errors.add("missing parameter(s) " + missing);
    }
    if (!unexpected.isEmpty()) {
      errors.add("unexpected parameter(s) " + unexpected);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    own.forEach((name, p) -> {
      double[] v = params.get(name);
      if (v == null) {
        return;
      }
      int[] shape = shapes == null ? null : shapes.get(name);
      if (shape != null && !Shapes.same(shape, p.shape())) {
        errors.add(name + " has shape " + Shapes.format(shape) + " but the layer's is " + Shapes.format(p.shape()));
      } else if (v.length != p.numel()) {
        errors.add(name + " has " + v.length + " values but the layer's " + Shapes.format(p.shape()) + " has "
            + p.numel());
      } else {
        out.put(name, Tensor.wrap(v.clone(), p.shape()));
      }
    });
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors) + " (the layer's parameters: " + describe(own)
          + ")");
    }
    return out;
  }

  private static String describe(Map<String, Parameter> own) {
    List<String> parts = new ArrayList<>();
    own.forEach((name, p) -> parts.add(name + " " + Shapes.format(p.shape())));
    return String.join(", ", parts);
  }
}
