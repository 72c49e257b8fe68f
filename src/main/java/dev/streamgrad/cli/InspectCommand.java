package dev.streamgrad.cli;

import dev.streamgrad.console.ConsoleText;
import dev.streamgrad.job.io.ContainerScan;
import dev.streamgrad.job.io.RecordFiles;
import dev.streamgrad.job.io.RecordJson;
import dev.streamgrad.job.io.RunId;
import dev.streamgrad.kafka.AnyRecordDecoder;
import dev.streamgrad.kafka.KafkaRecordReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inspect FILE.avro...}: prints the records of Avro container files (or of every visible file
 * in a folder, such as a sink's output) as one JSON object per line; tensors show shape, dtype and
 * values. Reads with the file's own schema, so any Avro file works, and as the {@code avro-file}
 * source does ({@link ContainerScan}): a damaged region is reported on stderr (exit code 1) and the
 * records after it are still printed. A record from a file that a
 * sink wrote starts with {@code "@run"}, the id of the run that wrote it. With {@code --kafka} the
 * arguments are Kafka topics, read with {@code read_committed} and decoded by their schema
 * fingerprint, so a snapshot or dead-letter topic can be looked at the same way. Stops quietly
 * when its reader goes away ({@code inspect ... | head}).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Print the records of Avro container files (or folders of them) as JSON, one per line.",
        "Records a sink wrote start with \"@run\": the id of the run that wrote them."})
public final class InspectCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "Avro container files or folders (with --kafka: topics).")
  List<Path> paths;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Read Kafka topics (the arguments) at these bootstrap servers instead of files: every"
          + " committed record (read_committed), single-object-encoded Avro of any streamgrad record type.")
  String kafka;

  Long limit;

  @Option(names = "--schema", description = "Print each file's schema first.")
  boolean schema;

  @Option(names = "--count", description = "Print only the number of records per file.")
  boolean count;

  @Option(names = "--full", description = "Print every value whole (strings and bytes longer than "
      + RecordJson.MAX_CHARS + " characters are cut otherwise).")
  boolean full;

  @Spec
  CommandSpec command;

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N records per file (N >= 0).")
  void limit(long n) {
    if (n < 0) {
      throw new ParameterException(command.commandLine(), "--limit must be 0 or more, got " + n);
    }
    limit = n;
  }

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (kafka != null) {
      return inspectTopics(out, err);
    }
    List<Path> files;
    try {
      files = RecordFiles.under(paths);
    } catch (NoSuchFileException e) {
      err.println(shown(Path.of(e.getFile())) + ": no such file or folder");
      err.flush();
      return 2;
    } catch (FileSystemException e) {
      err.println(shown(Path.of(e.getFile())) + ": " + ConsoleText.oneLine(e.getReason(), ConsoleText.MESSAGE_CHARS));
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println(ConsoleText.oneLine(String.valueOf(e.getMessage()), ConsoleText.MESSAGE_CHARS));
      err.flush();
      return 1;
    }
    int status = 0;
    for (Path f : files) {
      String run = RunId.ofFileName(f.getFileName().toString()).orElse(null);
      try {
        if (schema) {
          printSchema(out, f);
        }
        ContainerScan.Result read = ContainerScan.scan(f, count || limit == null ? Long.MAX_VALUE : limit, r -> {
          if (!count) {
            out.println(RecordJson.toJson(r, full, run));
            if (out.checkError()) {
              throw new ReaderGone();
            }
          }
        }, damage -> err.println(ConsoleText.oneLine(damage.getReason(), 2 * ConsoleText.MESSAGE_CHARS)));
        if (count) {
          out.println(shown(f) + ": " + read.records() + " records"
              + (read.damaged() > 0 ? ", " + read.damaged() + " damaged regions" : ""));
        }
        if (read.damaged() > 0) {
          status = 1;
        }
      } catch (ReaderGone gone) {
        return 0; // the reader went away (a closed pipe): nobody reads the rest
      } catch (IOException | RuntimeException e) {
        err.println(shown(f) + ": cannot read: " + ConsoleText.oneLine(String.valueOf(e.getMessage()),
            ConsoleText.MESSAGE_CHARS));
        status = 1;
      }
    }
    out.flush();
    err.flush();
    return status;
  }

  /** {@code # FILE: SCHEMA}, when the file's header can be read (the scan reports it otherwise). */
  private static void printSchema(PrintWriter out, Path f) {
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
      out.println("# " + shown(f) + ": " + reader.getSchema());
    } catch (IOException | RuntimeException e) {
      // not a container file: the scan says why
    }
  }

  /** Thrown out of the scan when stdout is closed. */
  private static final class ReaderGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReaderGone() {
      super(null, null, false, false);
    }
  }

  private static String shown(Path p) {
    return ConsoleText.escape(p.toString());
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
          out.println(shown(p) + ": " + c.records().size() + " records, " + c.undecodable().size() + " undecodable");
        } else {
          for (GenericRecord r : limit == null ? c.records() : c.records().subList(0, (int) Math.min(limit,
              c.records().size()))) {
            out.println(RecordJson.toJson(r, full, null));
            if (out.checkError()) {
              return 0;
            }
          }
          c.undecodable().forEach(u -> err.println("undecodable " + ConsoleText.oneLine(String.valueOf(u),
              ConsoleText.MESSAGE_CHARS)));
        }
      } catch (TimeoutException | KafkaException e) {
        err.println(shown(p) + ": cannot read from Kafka at " + kafka + ": "
            + ConsoleText.oneLine(String.valueOf(e.getMessage()), ConsoleText.MESSAGE_CHARS));
        status = 1;
      }
    }
    out.flush();
    err.flush();
    return status;
  }
}
