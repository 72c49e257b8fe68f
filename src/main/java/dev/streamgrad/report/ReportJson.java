package dev.streamgrad.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The page's data: what {@code report.js} draws, one object per model (see {@link HtmlReport}). */
final class ReportJson {
  private ReportJson() {}

  static ObjectNode of(List<ModelHistory> models, Optional<HiddenFilter> hidden) {
    ObjectNode root = HtmlReport.object();
    ArrayNode ms = root.putArray("models");
    for (ModelHistory m : models) {
      ms.add(model(m, hidden));
    }
    return root;
  }

  private static ObjectNode model(ModelHistory m, Optional<HiddenFilter> hidden) {
    ObjectNode o = HtmlReport.object();
    o.put("model", m.model());
    o.put("meta", (m.run() != null ? "run " + m.run() + " · " : "") + m.layer() + " · " + m.snapshots()
        + " snapshots · newest version " + m.lastVersion());
    ArrayNode series = o.putArray("series");
    for (Series s : m.series()) {
      ObjectNode so = series.addObject();
      so.put("name", s.name());
      ArrayNode points = so.putArray("points");
      long[] records = s.records();
      long[] times = s.eventTimes();
      double[] values = s.values();
      for (int i : thin(values.length, HtmlReport.MAX_LINE_POINTS)) {
        ArrayNode p = points.addArray();
        p.add(records[i]);
        p.add(times[i]);
        number(p, values[i]);
      }
    }
    ArrayNode events = o.putArray("events");
    for (Event e : m.events()) {
      events.addObject().put("name", e.name()).put("records", e.records()).put("eventTime", e.eventTime());
    }
    ArrayNode notes = o.putArray("notes");
    ArrayNode params = o.putArray("parameters");
    for (ParameterHistory p : m.parameters()) {
      if (p.versions().isEmpty()) {
        notes.add(p.name() + ": no readable values");
        continue;
      }
      params.add(parameter(p, notes));
    }
    if (hidden.isPresent()) {
      ParameterHistory f = m.filterLike(hidden.get());
      if (f == null) {
        notes.add("the hidden filter is " + hidden.get().rows() + "x" + hidden.get().cols()
            + " and this model has no one parameter named filter of that shape to compare it with");
      } else {
        o.set("hidden", comparison(m, f, hidden.get()));
      }
    }
    return o;
  }

  private static ObjectNode parameter(ParameterHistory p, ArrayNode notes) {
    ObjectNode o = HtmlReport.object();
    o.put("name", p.name());
    ArrayNode shape = o.putArray("shape");
    int[] dims = p.shape();
    for (int d : dims) {
      shape.add(d);
    }
    int numel = p.numel();
    List<Long> versions = p.versions();
    int keep = Math.max(2, HtmlReport.MAX_HEATMAP_CELLS / Math.max(1, numel));
    List<Integer> chosen = thin(versions.size(), keep);
    if (chosen.size() < versions.size()) {
      notes.add(p.name() + ": " + chosen.size() + " of " + versions.size() + " versions drawn (evenly spaced)");
    }
    if (p.skipped() > 0) {
      notes.add(p.name() + ": " + p.skipped() + " snapshots with another shape left out");
    }
    ArrayNode vs = o.putArray("versions");
    ArrayNode values = o.putArray("values");
    for (int i : chosen) {
      vs.add(versions.get(i));
      ArrayNode column = values.addArray();
      for (double v : p.valuesAt(i)) {
        number(column, v);
      }
    }
    ArrayNode elements = o.putArray("elements");
    for (int k = 0; k < numel; k++) {
      elements.add(elementLabel(dims, k));
    }
    return o;
  }

  private static ObjectNode comparison(ModelHistory m, ParameterHistory f, HiddenFilter hidden) {
    ObjectNode o = HtmlReport.object();
    int newest = f.versions().size() - 1;
    o.put("parameter", f.name());
    o.put("version", f.versions().get(newest));
    o.set("learned", grid(f.valuesAt(newest), hidden.rows(), hidden.cols()));
    String biasName = f.name().equals("filter") ? "bias" : f.name().substring(0, f.name().length() - "filter".length()) + "bias";
    String learnedBias = "n/a";
    for (ParameterHistory p : m.parameters()) {
      if (p.name().equals(biasName) && p.numel() == 1 && !p.versions().isEmpty()) {
        learnedBias = HtmlReport.fmt(p.valuesAt(p.versions().size() - 1)[0]);
      }
    }
    o.put("learnedBias", learnedBias);
    double[][] h = hidden.filter();
    double[] flat = new double[hidden.rows() * hidden.cols()];
    for (int r = 0; r < h.length; r++) {
      System.arraycopy(h[r], 0, flat, r * hidden.cols(), hidden.cols());
    }
    o.set("filter", grid(flat, hidden.rows(), hidden.cols()));
    o.put("bias", HtmlReport.fmt(hidden.bias()));
    return o;
  }

  private static ArrayNode grid(double[] values, int rows, int cols) {
    ArrayNode g = HtmlReport.array();
    for (int r = 0; r < rows; r++) {
      ArrayNode row = g.addArray();
      for (int c = 0; c < cols; c++) {
        number(row, values[r * cols + c]);
      }
    }
    return g;
  }

  /** {@code [r, c]} for a 2-D parameter, {@code [i]} for 1-D, the flat index otherwise. */
  static String elementLabel(int[] shape, int k) {
    if (shape.length == 2) {
      return "[" + k / shape[1] + ", " + k % shape[1] + "]";
    }
    return "[" + k + "]";
  }

  /** NaN and infinities as JSON null (a gap), which ECharts skips. */
  private static void number(ArrayNode a, double v) {
    if (Double.isFinite(v)) {
      a.add(v);
    } else {
      a.addNull();
    }
  }

  /** At most {@code max} indices of {@code 0..n-1}, evenly spaced, the first and the last always in. */
  static List<Integer> thin(int n, int max) {
    List<Integer> out = new ArrayList<>();
    if (n <= max) {
      for (int i = 0; i < n; i++) {
        out.add(i);
      }
      return out;
    }
    int last = -1;
    for (int j = 0; j < max; j++) {
      int i = (int) Math.round((double) j * (n - 1) / (max - 1));
      if (i != last) {
        out.add(i);
        last = i;
      }
    }
    return out;
  }
}
