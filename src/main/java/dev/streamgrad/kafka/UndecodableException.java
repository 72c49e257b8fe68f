package dev.streamgrad.kafka;

/** A Kafka value that is not a valid single-object-encoded record of the expected type. */
public final class UndecodableException extends Exception {
  private static final long serialVersionUID = 1L;

  public UndecodableException(String reason) {
    super(reason);
  }

  public UndecodableException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** Why the value could not be decoded; goes into the dead letter. */
  public String reason() {
    return getMessage();
  }
}
