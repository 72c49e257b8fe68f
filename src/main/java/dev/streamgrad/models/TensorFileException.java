package dev.streamgrad.models;

import java.io.IOException;

/**
 * A tensor file that cannot be read or written, with a reason naming the file, the entry and the
 * defect (a truncated entry, a header that does not parse, offsets that overlap, a size beyond the
 * limit). Readers throw only this for a bad file, never a runtime exception or an out-of-memory
 * error.
 */
public final class TensorFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public TensorFileException(String message) {
    super(message);
  }

  public TensorFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
