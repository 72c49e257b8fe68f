package dev.streamgrad.job.spec;

/**
 * Where a job's records come from: one implementation per {@code source.type}. Whether a source
 * yields labeled or unlabeled records follows from where it stands in the spec ({@code source} of a
 * spec with {@code train}: labeled; otherwise unlabeled).
 */
public interface SourceSpec {
  /** The {@code type} as written in the spec, e.g. {@code generator}. */
  String type();

  /** Whether the source ends by itself. Unbounded sources get checkpoints by default. */
  boolean bounded();
}
