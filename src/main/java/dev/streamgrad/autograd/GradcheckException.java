package dev.streamgrad.autograd;

/** Thrown by {@link Gradcheck} when analytical and numerical gradients disagree. */
public final class GradcheckException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GradcheckException(String message) {
    super(message);
  }
}
