package dev.streamgrad.kafka;

import dev.streamgrad.records.AvroBinaryCheck;
import dev.streamgrad.records.InvalidRecordException;
import org.apache.avro.Schema;

/** A Kafka value that is not a valid single-object-encoded record of the expected type. */
public final class UndecodableException extends Exception {
  private static final long serialVersionUID = 1L;

  public UndecodableException(String reason) {
    super(reason);
  }

  public UndecodableException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /**
   * Checks that {@code value[offset..]} is exactly one datum of {@code writer} before Avro's reader
   * trusts its lengths and counts ({@link AvroBinaryCheck}).
   */
  static void checkBinary(Schema writer, byte[] value, int offset) throws UndecodableException {
    try {
      AvroBinaryCheck.check(writer, value, offset);
    } catch (InvalidRecordException e) {
      throw new UndecodableException(e.reason(), e);
    }
  }

  /** Why the value could not be decoded; goes into the dead letter. */
  public String reason() {
    return getMessage();
  }
}
