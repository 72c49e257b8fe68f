package dev.streamgrad.job.spec;

import java.util.List;

/**
 * {@code source: {type: avro-file, path: ...}}: Avro container files, given as one file, a folder
 * (every visible file in it, recursively) or a glob like {@code data/*.avro}. {@code files} is what
 * the path resolved to when the spec was read, in sorted order.
 */
public record AvroFileSourceSpec(String path, List<String> files) implements SourceSpec {
  public AvroFileSourceSpec {
    files = List.copyOf(files);
  }

  @Override
  public String type() {
    return "avro-file";
  }

  @Override
  public String toString() {
    return "avro-file " + path + " (" + files.size() + (files.size() == 1 ? " file)" : " files)");
  }

  @Override
  public boolean bounded() {
    return true;
  }
}
