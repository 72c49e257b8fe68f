package dev.streamgrad.cli;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.job.io.RecordFiles;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.kafka.KafkaRecordWriter;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: writes sample Avro input files with the {@code generator} source's records
 * ({@code labeled.avro}: {@code LabeledTensorRecord}s made with a hidden filter; {@code
 * unlabeled.avro}: {@code TensorRecord}s), every model's records in order in one file; with
 * {@code --kafka} the same records go to Kafka topics, keyed by model/key (so each model's records
 * keep their order in one partition).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write sample input: Avro files labeled.avro (for training) and unlabeled.avro (for forward/predict),"
        + " and/or the same records to Kafka topics.")
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", description = "Folder to write Avro files into.")
  Path out;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers to write the records to (single-object-encoded Avro, keyed by model/key).")
  String kafka;

  @Option(names = "--labeled-topic", defaultValue = "streamgrad.labeled", paramLabel = "TOPIC",
      description = "Kafka topic of labeled records. Default ${DEFAULT-VALUE}.")
  String labeledTopic;

  @Option(names = "--unlabeled-topic", defaultValue = "streamgrad.unlabeled", paramLabel = "TOPIC",
      description = "Kafka topic of unlabeled records. Default ${DEFAULT-VALUE}.")
  String unlabeledTopic;

  @Option(names = "--labeled", defaultValue = "1000", paramLabel = "N",
      description = "Labeled records (all keys together; 0: none). Default ${DEFAULT-VALUE}.")
  long labeled;

  @Option(names = "--unlabeled", defaultValue = "100", paramLabel = "N",
      description = "Unlabeled records (0: none). Default ${DEFAULT-VALUE}.")
  long unlabeled;

  @Option(names = "--keys", split = ",", defaultValue = "model-0", paramLabel = "NAME",
      description = "Model names / keys, comma separated. Default ${DEFAULT-VALUE}.")
  List<String> keys;

  @Option(names = "--shape", defaultValue = "28x28", paramLabel = "HxW", description = "Input shape. Default ${DEFAULT-VALUE}.")
  String shape;

  @Option(names = "--kernel", defaultValue = "3x3", paramLabel = "HxW",
      description = "Shape of the hidden filter of labeled records. Default ${DEFAULT-VALUE}.")
  String kernel;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the inputs and noise. Default ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--true-filter-seed", paramLabel = "SEED",
      description = "Seed of the hidden filter (default: seed + 1, as the generator source).")
  Long trueFilterSeed;

  @Option(names = "--noise", defaultValue = "0.01", description = "Target noise std. Default ${DEFAULT-VALUE}.")
  double noise;

  @Option(names = "--dtype", defaultValue = "float64", description = "float32 or float64. Default ${DEFAULT-VALUE}.")
  String dtype;

  // random float data hardly compresses (deflate saves a few percent) and inflating it costs a file
  // reader about 25 us per 28x28 record, more than training it: no codec unless asked for
  @Option(names = "--codec", defaultValue = "null", paramLabel = "CODEC",
      description = "Avro codec of the files: null, deflate, snappy, zstandard, bzip2. Default ${DEFAULT-VALUE}.")
  String codec;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    int[] s;
    int[] k;
    DType type;
    try {
      s = dims("--shape", shape);
      k = dims("--kernel", kernel);
      type = DType.valueOf(dtype.toUpperCase(Locale.ROOT));
      if (k[0] > s[0] || k[1] > s[1]) {
        throw new IllegalArgumentException("--kernel " + kernel + " is larger than --shape " + shape);
      }
      if (out == null && kafka == null) {
        throw new IllegalArgumentException("give --out DIR (Avro files), --kafka HOST:PORT (Kafka topics), or both");
      }
      if (!java.util.List.of("null", "deflate", "snappy", "zstandard", "bzip2").contains(codec)) {
        throw new IllegalArgumentException("--codec must be null, deflate, snappy, zstandard or bzip2, got '"
            + codec + "'");
      }
      if (labeled < 0 || unlabeled < 0 || noise < 0) {
        throw new IllegalArgumentException("--labeled, --unlabeled and --noise must be >= 0");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage().startsWith("No enum") ? "--dtype must be float32 or float64, got " + dtype
          : e.getMessage());
      err.flush();
      return 2;
    }
    double[][] drawn = GeneratorSpec.drawTrueFilter(trueFilterSeed != null ? trueFilterSeed : seed + 1, k[0], k[1]);
    GeneratorSpec g = new GeneratorSpec(labeled, 0, keys, s, seed, noise, type, Arrays.copyOf(drawn, k[0]),
        drawn[k[0]][0]);
    SyntheticRecords records = new SyntheticRecords(g);
    if (out != null) {
      Files.createDirectories(out);
      if (labeled > 0) {
        File f = out.resolve("labeled.avro").toFile();
        write(f, LabeledTensorRecord.class, labeled, records::labeled);
        o.println("wrote " + labeled + " labeled records to " + f);
      }
      if (unlabeled > 0) {
        File f = out.resolve("unlabeled.avro").toFile();
        write(f, TensorRecord.class, unlabeled, records::unlabeled);
        o.println("wrote " + unlabeled + " unlabeled records to " + f);
      }
    }
    if (kafka != null) {
      try {
        if (labeled > 0) {
          send(kafka, labeledTopic, LabeledTensorRecord.class, labeled, records::labeled);
          o.println("sent " + labeled + " labeled records to Kafka topic " + labeledTopic + " at " + kafka);
        }
        if (unlabeled > 0) {
          send(kafka, unlabeledTopic, TensorRecord.class, unlabeled, records::unlabeled);
          o.println("sent " + unlabeled + " unlabeled records to Kafka topic " + unlabeledTopic + " at " + kafka);
        }
      } catch (KafkaException e) {
        err.println("writing to Kafka at " + kafka + " failed: " + e.getMessage());
        err.flush();
        return 1;
      }
    }
    if (labeled > 0) {
      o.println("hidden filter " + Arrays.deepToString(g.trueFilter()) + ", bias " + g.trueBias());
    }
    o.flush();
    return 0;
  }

  /** In record order, so each key's records keep their order in its partition; waits for every ack. */
  private static <T extends SpecificRecordBase> void send(String bootstrap, String topic, Class<T> type, long n,
      java.util.function.LongFunction<T> make) {
    try (KafkaRecordWriter<T> w = new KafkaRecordWriter<>(bootstrap, topic, type)) {
      for (long i = 0; i < n; i++) {
        w.send(make.apply(i));
      }
      w.flush();
    }
  }

  private <T extends SpecificRecordBase> void write(File f, Class<T> type, long n,
      java.util.function.LongFunction<T> make) throws IOException {
    RecordFiles.write(f, type, n, make, CodecFactory.fromString(codec), DataFileConstants.DEFAULT_SYNC_INTERVAL);
  }

  private static int[] dims(String option, String text) {
    String[] parts = text.toLowerCase(Locale.ROOT).split("[x,]");
    try {
      if (parts.length == 2) {
        int[] d = {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
        if (d[0] >= 1 && d[1] >= 1) {
          return d;
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(option + " must look like 28x28, got '" + text + "'");
  }
}
