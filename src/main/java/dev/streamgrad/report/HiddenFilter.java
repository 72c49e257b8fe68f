package dev.streamgrad.report;

import dev.streamgrad.job.spec.GeneratorSpec;
import java.util.Optional;

/**
 * The filter and bias a {@code generator} source makes its targets with, which training should
 * recover: the report draws it beside the learned filter.
 *
 * @param filter {@code [kh][kw]}
 * @param bias the hidden bias
 */
public record HiddenFilter(double[][] filter, double bias) {
  public HiddenFilter {
    if (filter.length == 0 || filter[0].length == 0) {
      throw new IllegalArgumentException("a hidden filter needs at least one element");
    }
    double[][] copy = new double[filter.length][];
    for (int r = 0; r < filter.length; r++) {
      if (filter[r].length != filter[0].length) {
        throw new IllegalArgumentException("hidden filter rows differ in length: " + filter[0].length + " and "
            + filter[r].length);
      }
      copy[r] = filter[r].clone();
    }
    filter = copy;
  }

  /** The hidden filter of a labeled generator source; empty for other sources. */
  public static Optional<HiddenFilter> of(Object source) {
    if (source instanceof GeneratorSpec g && g.trueFilter() != null) {
      return Optional.of(new HiddenFilter(g.trueFilter(), g.trueBias()));
    }
    return Optional.empty();
  }

  public int rows() {
    return filter.length;
  }

  public int cols() {
    return filter[0].length;
  }

  @Override
  public double[][] filter() {
    double[][] copy = new double[filter.length][];
    for (int r = 0; r < filter.length; r++) {
      copy[r] = filter[r].clone();
    }
    return copy;
  }
}
