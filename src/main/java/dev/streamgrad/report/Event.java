package dev.streamgrad.report;

/**
 * Something that happened to a model at a point of its stream, drawn as a vertical line on both
 * loss charts (for instance a detected drift, {@link ModelHistory#addEvent}).
 *
 * @param name what happened, e.g. {@code "drift (ADWIN)"}
 * @param records labeled records trained on when it happened
 * @param eventTime event time in epoch milliseconds when it happened
 */
public record Event(String name, long records, long eventTime) {
  public Event {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("an event needs a name");
    }
  }
}
