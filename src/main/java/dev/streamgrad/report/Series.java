package dev.streamgrad.report;

import java.util.Arrays;

/**
 * One line of a model's loss charts: a value per point, each point placed by the labeled records
 * seen so far (the x of the "over records" chart) and by event time (the x of the "over event time"
 * chart). The training loss is one; the prequential loss and others are added the same way
 * ({@link ModelHistory#addSeries}). NaN values are drawn as gaps.
 *
 * @param name the legend entry, e.g. {@code "training loss"}
 * @param records labeled records trained on at each point, non-decreasing
 * @param eventTimes event time in epoch milliseconds at each point
 * @param values the value at each point
 */
public record Series(String name, long[] records, long[] eventTimes, double[] values) {
  public Series {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a series needs a name");
    }
    if (records.length != values.length || eventTimes.length != values.length) {
      throw new IllegalArgumentException("series '" + name + "': " + records.length + " record counts, "
          + eventTimes.length + " event times and " + values.length + " values; each point needs all three");
    }
    records = records.clone();
    eventTimes = eventTimes.clone();
    values = values.clone();
  }

  public int size() {
    return values.length;
  }

  @Override
  public long[] records() {
    return records.clone();
  }

  @Override
  public long[] eventTimes() {
    return eventTimes.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Series s && name.equals(s.name) && Arrays.equals(records, s.records)
        && Arrays.equals(eventTimes, s.eventTimes) && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Series[" + name + ", " + values.length + " points]";
  }
}
