package dev.streamgrad.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every known version of every record schema, looked up by the CRC-64-AVRO fingerprint that Avro's
 * single-object encoding puts in each message.
 *
 * <p>Versions live in files named {@code <RecordName>-v<N>.avsc} (each schema self-contained, named
 * types inlined), on the classpath under {@code schemas/versions/} (the repository's
 * {@code schemas/versions} directory) or in a directory given explicitly. A writer schema must be
 * known here for its messages to be read: when a schema evolves, its new full text is added as the
 * next version and the old files stay, so records written before the change still decode.
 */
public final class SchemaVersions implements SchemaStore {

  /** The record types streamgrad writes to Kafka; their versions are looked up on the classpath. */
  public static final List<String> RECORD_NAMES =
      List.of("LabeledTensorRecord", "TensorRecord", "FilterSnapshot", "Prediction", "DeadLetter", "DriftEvent",
          "PredictionScore");

  private static final Pattern FILE_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)-v(\\d+)\\.avsc");
  private static final String CLASSPATH_DIR = "schemas/versions/";

  private final Map<Long, Version> byFingerprint = new LinkedHashMap<>();

  /** A schema version: its record name, version number and the schema itself. */
  public record Version(String name, int number, Schema schema, long fingerprint) {
    @Override
    public String toString() {
      return String.format("%s-v%d (fingerprint %016x)", name, number, fingerprint);
    }
  }

  private SchemaVersions() {}

  /** The versions shipped with streamgrad (classpath {@code schemas/versions/}). */
  public static SchemaVersions bundled() {
    SchemaVersions versions = new SchemaVersions();
    ClassLoader loader = SchemaVersions.class.getClassLoader();
    for (String name : RECORD_NAMES) {
      // versions are numbered from 1 without gaps, so probing stops at the first missing one
      for (int n = 1; ; n++) {
        String resource = CLASSPATH_DIR + name + "-v" + n + ".avsc";
        try (InputStream in = loader.getResourceAsStream(resource)) {
          if (in == null) {
            break;
          }
          versions.add(name, n, new Schema.Parser().parse(in), resource);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + resource, e);
        }
      }
    }
    return versions;
  }

  /** The versions in a directory of {@code <RecordName>-v<N>.avsc} files. */
  public static SchemaVersions fromDirectory(Path dir) throws IOException {
    SchemaVersions versions = new SchemaVersions();
    versions.addDirectory(dir);
    return versions;
  }

  /** Adds every {@code <RecordName>-v<N>.avsc} file of {@code dir}. */
  public SchemaVersions addDirectory(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.avsc")) {
      stream.forEach(files::add);
    }
    Collections.sort(files);
    for (Path file : files) {
      Matcher m = FILE_NAME.matcher(file.getFileName().toString());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            file + ": schema version files are named <RecordName>-v<N>.avsc");
      }
      add(m.group(1), Integer.parseInt(m.group(2)), new Schema.Parser().parse(file.toFile()), file.toString());
    }
    return this;
  }

  private void add(String name, int number, Schema schema, String origin) {
    if (!schema.getName().equals(name)) {
      throw new IllegalArgumentException(
          origin + ": file is named for " + name + " but defines " + schema.getFullName());
    }
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    Version previous = byFingerprint.get(fingerprint);
    if (previous != null && !previous.name().equals(name)) {
      throw new IllegalArgumentException(origin + ": same fingerprint as " + previous);
    }
    // identical canonical forms (only docs or defaults differ) decode the same way: keep the first
    byFingerprint.putIfAbsent(fingerprint, new Version(name, number, schema, fingerprint));
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    Version v = byFingerprint.get(fingerprint);
    return v == null ? null : v.schema();
  }

  /** The version with this fingerprint, or null. */
  public Version version(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  /** Every known version of the record named {@code name}, oldest first. */
  public List<Version> versions(String name) {
    List<Version> out = new ArrayList<>();
    for (Version v : byFingerprint.values()) {
      if (v.name().equals(name)) {
        out.add(v);
      }
    }
    out.sort((a, b) -> Integer.compare(a.number(), b.number()));
    return out;
  }
}
