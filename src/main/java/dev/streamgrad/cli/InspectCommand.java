package dev.streamgrad.cli;

import dev.streamgrad.job.io.RecordJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inspect FILE.avro...}: prints the records of Avro container files (or of every visible file
 * in a folder, such as a sink's output) as one JSON object per line; tensors show shape, dtype and
 * values. Reads with the file's own schema, so any Avro file works.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print the records of Avro container files (or folders of them) as JSON, one per line.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Avro container files or folders.")
  List<Path> paths;

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N records per file.")
  Long limit;

  @Option(names = "--schema", description = "Print each file's schema first.")
  boolean schema;

  @Option(names = "--count", description = "Print only the number of records per file.")
  boolean count;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
              .sorted().forEach(files::add);
        } catch (IOException e) {
          err.println(p + ": cannot list: " + e.getMessage());
          err.flush();
          return 1;
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        err.println(p + ": no such file or folder");
        err.flush();
        return 2;
      }
    }
    int status = 0;
    for (Path f : files) {
      try (DataFileReader<GenericRecord> reader = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
        if (schema) {
          out.println("# " + f + ": " + reader.getSchema());
        }
        long n = 0;
        while (reader.hasNext() && (limit == null || n < limit)) {
          GenericRecord r = reader.next();
          if (!count) {
            out.println(RecordJson.toJson(r));
          }
          n++;
        }
        if (count) {
          while (reader.hasNext()) {
            reader.next();
            n++;
          }
          out.println(f + ": " + n + " records");
        }
      } catch (IOException | RuntimeException e) {
        err.println(f + ": not a readable Avro container file: " + e.getMessage());
        status = 1;
      }
    }
    out.flush();
    err.flush();
    return status;
  }
}
