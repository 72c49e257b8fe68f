package dev.streamgrad.job;

/**
 * What a new run does when an {@code avro-file} sink folder already holds files of an earlier run
 * (a run resumed from a savepoint always continues the first leg's output, whatever this says).
 */
public enum ExistingOutput {
  /** Refuse to start, naming the folder (the default: runs never mix by accident). */
  REFUSE,
  /** Keep the earlier files; this run adds its own, told apart by the run id in their names. */
  APPEND,
  /** Delete the earlier runs' files first (only files streamgrad's sinks wrote; anything else refuses). */
  OVERWRITE
}
