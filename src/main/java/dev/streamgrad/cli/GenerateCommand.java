package dev.streamgrad.cli;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
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
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: writes sample Avro input files with the {@code generator} source's records
 * ({@code labeled.avro}: {@code LabeledTensorRecord}s made with a hidden filter; {@code
 * unlabeled.avro}: {@code TensorRecord}s), every model's records in order in one file.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write sample Avro input files: labeled.avro (for training) and unlabeled.avro (for forward/predict).")
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into.")
  Path out;

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
    Files.createDirectories(out);
    if (labeled > 0) {
      File f = out.resolve("labeled.avro").toFile();
      write(f, LabeledTensorRecord.class, labeled, records::labeled);
      o.println("wrote " + labeled + " labeled records to " + f);
      o.println("hidden filter " + Arrays.deepToString(g.trueFilter()) + ", bias " + g.trueBias());
    }
    if (unlabeled > 0) {
      File f = out.resolve("unlabeled.avro").toFile();
      write(f, TensorRecord.class, unlabeled, records::unlabeled);
      o.println("wrote " + unlabeled + " unlabeled records to " + f);
    }
    o.flush();
    return 0;
  }

  private static <T extends SpecificRecordBase> void write(File f, Class<T> type, long n,
      java.util.function.LongFunction<T> make) throws IOException {
    try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
      w.setCodec(CodecFactory.deflateCodec(6));
      w.create(make.apply(0).getSchema(), f);
      for (long i = 0; i < n; i++) {
        w.append(make.apply(i));
      }
    }
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
