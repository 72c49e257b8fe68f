package dev.streamgrad.cli;

/** A job that started and then failed (exit code 1); {@link ErrorReports} prints its root cause. */
final class JobFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String job;

  JobFailure(String job, Throwable cause) {
    super("job " + job + " failed", cause);
    this.job = job;
  }

  String job() {
    return job;
  }
}
