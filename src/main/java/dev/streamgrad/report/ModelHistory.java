package dev.streamgrad.report;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.SnapshotParameters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report shows of one model of one run: its loss series over records and event time, the
 * events on them, and each parameter across versions. Built from the model's snapshots in version
 * order ({@link #of}); the training loss is the first series, then what the snapshots' evaluation
 * holds ({@link EvaluationSeries}: prequential, holdout and event-time window losses, drift events).
 * Other evaluations join with {@link #addSeries} and {@link #addEvent} and are drawn with them.
 */
public final class ModelHistory {
  /** The series the snapshots' {@code loss} field makes. */
  public static final String TRAINING_LOSS = "training loss";

  private final String model;
  private final String run;
  private final String layer;
  private final int snapshots;
  private final long lastVersion;
  private final List<Series> series = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final Map<String, ParameterHistory> parameters;

  private ModelHistory(String model, String run, String layer, int snapshots, long lastVersion,
      Map<String, ParameterHistory> parameters) {
    this.model = model;
    this.run = run;
    this.layer = layer;
    this.snapshots = snapshots;
    this.lastVersion = lastVersion;
    this.parameters = parameters;
  }

  /**
   * The history of one model of one run from its snapshots (any order; sorted by version here).
   * Parameters are read with {@link SnapshotParameters#of}: a snapshot whose state dict is malformed
   * adds its loss but no parameter values, and is counted in {@code unreadable}.
   *
   * @param run the run id the snapshots' files carry, or null
   * @param unreadable gets one message per snapshot whose parameters could not be read
   */
  public static ModelHistory of(String model, String run, List<FilterSnapshot> snapshots, List<String> unreadable) {
    if (snapshots.isEmpty()) {
      throw new IllegalArgumentException("model " + model + ": no snapshots");
    }
    List<FilterSnapshot> sorted = new ArrayList<>(snapshots);
    sorted.sort(Comparator.comparingLong(FilterSnapshot::getVersion).thenComparingLong(FilterSnapshot::getRecords));
    int n = sorted.size();
    long[] records = new long[n];
    long[] times = new long[n];
    double[] loss = new double[n];
    Map<String, ParameterHistory> params = new LinkedHashMap<>();
    // the newest snapshot's parameters set the names, order and shapes
    for (int i = n - 1; i >= 0 && params.isEmpty(); i--) {
      try {
        SnapshotParameters.of(sorted.get(i)).forEach((name, t) -> params.put(name, new ParameterHistory(name, t.shape())));
      } catch (InvalidRecordException e) {
        // reported below, with the other unreadable ones
      }
    }
    for (int i = 0; i < n; i++) {
      FilterSnapshot s = sorted.get(i);
      records[i] = s.getRecords();
      times[i] = s.getEventTime() == null ? 0 : s.getEventTime().toEpochMilli();
      loss[i] = s.getLoss();
      try {
        for (Map.Entry<String, Tensor> p : SnapshotParameters.of(s).entrySet()) {
          ParameterHistory h = params.get(p.getKey());
          if (h != null) {
            h.add(s.getVersion(), p.getValue().shape(), p.getValue().buffer());
          }
        }
      } catch (InvalidRecordException e) {
        unreadable.add("model " + model + " version " + s.getVersion() + ": " + e.getMessage());
      }
    }
    FilterSnapshot newest = sorted.get(n - 1);
    String layer = newest.getLayer() == null || newest.getLayer().isEmpty() ? "conv2d" : newest.getLayer();
    ModelHistory h = new ModelHistory(model, run, layer, n, newest.getVersion(), params);
    h.addSeries(new Series(TRAINING_LOSS, records, times, loss));
    EvaluationSeries.addTo(h, sorted);
    return h;
  }

  /** Adds a line to both loss charts (e.g. the prequential loss). */
  public void addSeries(Series s) {
    for (Series existing : series) {
      if (existing.name().equals(s.name())) {
        throw new IllegalArgumentException("model " + model + " already has a series named '" + s.name() + "'");
      }
    }
    series.add(s);
  }

  /** Adds a vertical marker to both loss charts (e.g. a detected drift). */
  public void addEvent(Event e) {
    events.add(e);
  }

  public String model() {
    return model;
  }

  /** The run id of the files the snapshots came from, or null when their names carry none. */
  public String run() {
    return run;
  }

  /** The layer type the newest snapshot names ({@code conv2d} for snapshots from before it was recorded). */
  public String layer() {
    return layer;
  }

  public int snapshots() {
    return snapshots;
  }

  public long lastVersion() {
    return lastVersion;
  }

  public List<Series> series() {
    return List.copyOf(series);
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** Each parameter's history, in the model's order. */
  public List<ParameterHistory> parameters() {
    return List.copyOf(parameters.values());
  }

  /**
   * The parameter the generator's hidden filter is compared with: the one named {@code filter} or
   * ending in {@code .filter} with the hidden filter's shape, when there is exactly one; else null.
   */
  public ParameterHistory filterLike(HiddenFilter hidden) {
    ParameterHistory found = null;
    for (ParameterHistory p : parameters.values()) {
      int[] s = p.shape();
      boolean named = p.name().equals("filter") || p.name().endsWith(".filter");
      if (named && s.length == 2 && s[0] == hidden.rows() && s[1] == hidden.cols() && !p.versions().isEmpty()) {
        if (found != null) {
          return null;
        }
        found = p;
      }
    }
    return found;
  }
}
