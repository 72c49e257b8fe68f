package dev.streamgrad.records;

/**
 * A record that cannot be processed, with a precise, human-readable reason (which field, which
 * shapes, which value). Checked, so that every operator has to turn it into a dead letter.
 */
public final class InvalidRecordException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidRecordException(String reason) {
    super(reason);
  }

  public InvalidRecordException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** The reason, as put in a dead letter; the same as {@link #getMessage()}. */
  public String reason() {
    return getMessage();
  }

  /** A new exception whose reason is {@code prefix + ": " + reason()}, e.g. naming the field. */
  public InvalidRecordException in(String prefix) {
    return new InvalidRecordException(prefix + ": " + getMessage(), this);
  }
}
