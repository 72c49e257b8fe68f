package dev.streamgrad.cli;

import dev.streamgrad.job.io.RecordJson;
import dev.streamgrad.kafka.AnyRecordDecoder;
import dev.streamgrad.kafka.KafkaRecordReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inspect FILE.avro...}: prints the records of Avro container files (or of every visible file
 * in a folder, such as a sink's output) as one JSON object per line; tensors show shape, dtype and
 * values. Reads with the file's own schema, so any Avro file works. With {@code --kafka} the
 * arguments are Kafka topics, read with {@code read_committed} and decoded by their schema
 * fingerprint, so a snapshot or dead-letter topic can be looked at the same way.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print the records of Avro container files (or folders of them) as JSON, one per line.")
public final class InspectCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Avro container files or folders (with --kafka: topics).")
  List<Path> paths;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Read Kafka topics (the arguments) at these bootstrap servers instead of files: every"
          + " committed record (read_committed), single-object-encoded Avro of any streamgrad record type.")
  String kafka;

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
    if (kafka != null) {
      return inspectTopics(out, err);
    }
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

  /** {@code --kafka}: each argument is a topic; undecodable values are reported on stderr. */
  private int inspectTopics(PrintWriter out, PrintWriter err) {
    AnyRecordDecoder decoder = AnyRecordDecoder.bundled();
    int status = 0;
    for (Path p : paths) {
      String topic = p.toString();
      try {
        KafkaRecordReader.Contents<GenericRecord> c = KafkaRecordReader.readAll(kafka, topic, decoder::decode,
            limit == null ? Long.MAX_VALUE : limit, Duration.ofSeconds(60));
        if (count) {
          out.println(topic + ": " + c.records().size() + " records, " + c.undecodable().size() + " undecodable");
        } else {
          for (GenericRecord r : limit == null ? c.records() : c.records().subList(0, (int) Math.min(limit,
              c.records().size()))) {
            out.println(RecordJson.toJson(r));
          }
          c.undecodable().forEach(u -> err.println("undecodable " + u));
        }
      } catch (TimeoutException | KafkaException e) {
        err.println(topic + ": cannot read from Kafka at " + kafka + ": " + e.getMessage());
        status = 1;
      }
    }
    out.flush();
    err.flush();
    return status;
  }
}
