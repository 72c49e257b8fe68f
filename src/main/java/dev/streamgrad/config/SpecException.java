package dev.streamgrad.config;

/**
 * A job spec that cannot run: names the file and the key path, e.g. {@code jobs/x.yaml:
 * train.optimizer.lr: must be > 0, got -1}. Raised before any job starts; the CLI exits with 2.
 */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String keyPath;
  private final String problem;

  public SpecException(String file, String keyPath, String problem) {
    super(file + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
    this.file = file;
    this.keyPath = keyPath;
    this.problem = problem;
  }

  /** The spec file as the user named it. */
  public String file() {
    return file;
  }

  /** The dotted key path, e.g. {@code train.optimizer.lr}; empty for the whole document. */
  public String keyPath() {
    return keyPath;
  }

  /** What is wrong, without file and key. */
  public String problem() {
    return problem;
  }
}
