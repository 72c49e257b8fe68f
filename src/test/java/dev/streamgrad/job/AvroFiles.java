package dev.streamgrad.job;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import picocli.CommandLine;

/** Test helpers: read a sink's committed Avro files; run the CLI capturing its output. */
public final class AvroFiles {
  private AvroFiles() {}

  /** Every record in the visible (committed) files under {@code dir}; empty when it does not exist. */
  public static <T extends SpecificRecordBase> List<T> read(Path dir, Class<T> type) throws IOException {
    List<T> out = new ArrayList<>();
    if (!Files.exists(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted().toList();
    }
    for (Path f : files) {
      try (DataFileReader<T> r = new DataFileReader<>(f.toFile(), new SpecificDatumReader<>(type))) {
        r.forEach(out::add);
      }
    }
    return out;
  }

  /** What a CLI invocation returned and printed. */
  public record Cli(int code, String out, String err) {}

  public static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = dev.streamgrad.cli.Cli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
