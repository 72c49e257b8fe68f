package dev.streamgrad.autograd;

/** Thrown by {@link Gradcheck} when analytical and numerical gradients disagree. */
public final class GradcheckException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean always;

  public GradcheckException(String message) {
    this(message, false);
  }

  private GradcheckException(String message, boolean always) {
    super(message);
    this.always = always;
  }

  /**
   * A failure {@link Gradcheck} raises even with {@code raiseException(false)}: the function cannot
   * be checked at all (PyTorch asserts these, outside its {@code raise_exception} handling).
   */
  static GradcheckException always(String message) {
    return new GradcheckException(message, true);
  }

  /** Whether this failure is raised even when the check was asked to return false instead. */
  public boolean raisedRegardless() {
    return always;
  }
}
