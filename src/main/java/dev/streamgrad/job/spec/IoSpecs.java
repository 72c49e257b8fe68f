package dev.streamgrad.job.spec;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;

/**
 * Reads {@code source} and {@code sink} sections, one case per type. A new type (e.g. {@code kafka})
 * is a new case here, a spec record, and a case in {@code job.io.Sources} / {@code job.io.Sinks}.
 */
public final class IoSpecs {
  /** The source types {@link #source} accepts. */
  public static final List<String> SOURCE_TYPES = List.of("generator", "avro-file", "kafka");
  /** The sink types {@link #sink} accepts. */
  public static final List<String> SINK_TYPES = List.of("avro-file", "print", "kafka");

  private IoSpecs() {}

  /** Reads a source; {@code labeled}: it feeds the trainer (targets made with a hidden filter). */
  static SourceSpec source(Section s, boolean labeled, LayerSpec layer) throws SpecException {
    String type = s.choice("type", null, SOURCE_TYPES.toArray(new String[0]));
    switch (type) {
      case "generator":
        return generator(s, labeled, layer);
      case "avro-file":
        s.allow("type", "path");
        String path = s.requiredString("path");
        List<String> files = resolveFiles(s, path);
        checkRecordType(s, files, labeled);
        return new AvroFileSourceSpec(path, files);
      case "kafka":
        return KafkaSpecs.source(s);
      default:
        throw s.error("type", "unsupported source type " + type);
    }
  }

  /** Reads a sink (also used for {@code deadLetters}). */
  static SinkSpec sink(Section s) throws SpecException {
    String type = s.choice("type", null, SINK_TYPES.toArray(new String[0]));
    switch (type) {
      case "avro-file":
        s.allow("type", "path");
        return new AvroFileSinkSpec(s.requiredString("path"));
      case "print":
        s.allow("type", "stream");
        return new PrintSinkSpec(s.choice("stream", "stdout", "stdout", "stderr").equals("stderr"));
      case "kafka":
        return KafkaSpecs.sink(s);
      default:
        throw s.error("type", "unsupported sink type " + type);
    }
  }

  /**
   * Dead letters when the spec names no {@code deadLetters}: next to an {@code avro-file} sink, in
   * the folder {@code <sink path>-dead-letters}, so they are kept with the output they belong to;
   * otherwise printed to stderr, apart from the output on stdout.
   */
  static SinkSpec defaultDeadLetters(SinkSpec sink) {
    return besideSink(sink, "-dead-letters");
  }

  /**
   * Drift events when {@code train.drift} names no {@code events}: as dead letters, in the folder
   * {@code <sink path>-drift-events} next to an {@code avro-file} sink, otherwise on stderr.
   */
  static SinkSpec defaultDriftEvents(SinkSpec sink) {
    return besideSink(sink, "-drift-events");
  }

  private static SinkSpec besideSink(SinkSpec sink, String suffix) {
    if (sink instanceof AvroFileSinkSpec) {
      String p = ((AvroFileSinkSpec) sink).path().replaceAll("/+$", "");
      return new AvroFileSinkSpec(p + suffix);
    }
    return new PrintSinkSpec(true);
  }

  private static GeneratorSpec generator(Section s, boolean labeled, LayerSpec layer) throws SpecException {
    s.allow("type", "count", "rate", "keys", "shape", "seed", "noise", "dtype", "trueFilter");
    long count = s.has("count") ? s.integer("count", 0, 1) : -1;
    double rate = s.nonNegative("rate", 0);
    List<String> keys = s.strings("keys", List.of("model-0"));
    int[] shape = s.dims("shape", 2);
    if (shape == null) {
      shape = new int[] {28, 28};
    }
    long seed = s.integer("seed", 0, Long.MIN_VALUE);
    double noise = s.nonNegative("noise", labeled ? 0.01 : 0);
    DType dtype = DType.valueOf(s.choice("dtype", "float64", "float32", "float64").toUpperCase(java.util.Locale.ROOT));
    Conv2dSpec conv = layer instanceof Conv2dSpec ? (Conv2dSpec) layer : null;
    if (conv != null && (conv.kernelHeight() > shape[0] || conv.kernelWidth() > shape[1])) {
      throw new SpecException(s.file(), "layer.kernel", "kernel " + conv.kernelHeight() + "x"
          + conv.kernelWidth() + " is larger than the generator's " + s.key("shape") + " " + shape[0] + "x"
          + shape[1]);
    }
    if (conv == null) {
      try {
        layer.create().outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw s.error("shape", "layer " + layer + " cannot take [" + shape[0] + ", " + shape[1] + "]: "
            + e.getMessage());
      }
    }
    double[][] trueFilter = null;
    double trueBias = 0;
    Section tf = s.section("trueFilter");
    if (!labeled) {
      if (tf != null || s.has("noise")) {
        throw s.error(tf != null ? "trueFilter" : "noise", "only for labeled records (the source of a spec"
            + " with train); this source makes unlabeled tensors");
      }
    } else if (conv == null) {
      // any other layer: a hidden model of the same layer, its parameters drawn from trueFilter.seed
      long tfSeed = seed + 1;
      if (tf != null) {
        tf.allow("seed");
        tfSeed = tf.integer("seed", tfSeed, Long.MIN_VALUE);
      }
      return GeneratorSpec.withTeacher(count, rate, keys, shape, seed, noise, dtype, layer, tfSeed);
    } else {
      int kh = conv.kernelHeight();
      int kw = conv.kernelWidth();
      long tfSeed = seed + 1;
      if (tf != null) {
        tf.allow("seed", "filter", "bias");
        trueFilter = tf.matrix("filter");
        if (trueFilter != null && tf.has("seed")) {
          throw tf.error("seed", "give either trueFilter.seed or trueFilter.filter, not both");
        }
        if (trueFilter == null && tf.has("bias")) {
          throw tf.error("bias", "only with trueFilter.filter");
        }
        tfSeed = tf.integer("seed", tfSeed, Long.MIN_VALUE);
        trueBias = tf.number("bias", 0);
      }
      if (trueFilter != null) {
        if (trueFilter.length != kh || trueFilter[0].length != kw) {
          throw tf.error("filter", "is " + trueFilter.length + "x" + trueFilter[0].length
              + " but layer.kernel is " + kh + "x" + kw);
        }
      } else {
        double[][] drawn = GeneratorSpec.drawTrueFilter(tfSeed, kh, kw);
        trueBias = drawn[kh][0];
        trueFilter = java.util.Arrays.copyOf(drawn, kh);
      }
    }
    return new GeneratorSpec(count, rate, keys, shape, seed, noise, dtype, trueFilter, trueBias);
  }

  /**
   * Fails when a generator makes tensors larger than a job of {@code parallelism} can hold in this
   * JVM's heap ({@link RecordLimits}); {@code key} is the source's key path.
   */
  static void checkRecordSize(String file, String key, SourceSpec source, int parallelism) throws SpecException {
    if (source instanceof GeneratorSpec) {
      GeneratorSpec g = (GeneratorSpec) source;
      int[] shape = g.shape();
      try {
        RecordLimits.forThisJvm(parallelism).check((long) shape[0] * shape[1], g.dtype());
      } catch (InvalidRecordException e) {
        throw new SpecException(file, key + ".shape", "[" + shape[0] + ", " + shape[1] + "] is " + e.reason()
            + " (docs/jobs.md, \"Record size\")");
      }
    }
  }

  /** Resolves one file, a folder (recursively, skipping names starting with '.' or '_') or a glob. */
  static List<String> resolveFiles(Section s, String path) throws SpecException {
    List<String> files = new ArrayList<>();
    int glob = indexOfGlob(path);
    try {
      if (glob >= 0) {
        int slash = path.lastIndexOf('/', glob);
        Path base = Path.of(slash < 0 ? "." : path.substring(0, slash + 1));
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + path.substring(slash + 1));
        if (Files.isDirectory(base)) {
          try (Stream<Path> walk = Files.walk(base)) {
            walk.filter(Files::isRegularFile).filter(f -> m.matches(base.relativize(f)))
                .filter(f -> visible(base.relativize(f))).forEach(f -> files.add(f.toString()));
          }
        }
        if (files.isEmpty()) {
          throw s.error("path", "no file matches the glob " + path);
        }
      } else {
        Path p = Path.of(path);
        if (Files.isRegularFile(p)) {
          files.add(p.toString());
        } else if (Files.isDirectory(p)) {
          try (Stream<Path> walk = Files.walk(p)) {
            walk.filter(Files::isRegularFile).filter(f -> visible(p.relativize(f)))
                .forEach(f -> files.add(f.toString()));
          }
          if (files.isEmpty()) {
            throw s.error("path", "folder " + path + " holds no files");
          }
        } else {
          throw s.error("path", "no such file or folder: " + path);
        }
      }
    } catch (IOException e) {
      throw s.error("path", "cannot list " + path + ": " + e.getMessage());
    }
    files.sort(null);
    return files;
  }

  /**
   * Reads each file's header: it must be an Avro container file whose writer schema the source's
   * record type can read (a {@code TensorRecord} file cannot feed the trainer, for instance).
   */
  private static void checkRecordType(Section s, List<String> files, boolean labeled) throws SpecException {
    Schema reader = labeled ? LabeledTensorRecord.getClassSchema() : TensorRecord.getClassSchema();
    for (String f : files) {
      Schema writer;
      try (DataFileReader<Object> r = new DataFileReader<>(new File(f), new GenericDatumReader<>())) {
        writer = r.getSchema();
      } catch (IOException e) {
        throw s.error("path", f + " is not a readable Avro container file (" + e.getMessage() + ")");
      }
      if (SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
          != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw s.error("path", f + " holds " + writer.getFullName() + " records; this source needs "
            + reader.getName() + (labeled ? " (the source of a spec with train)" : " (unlabeled tensors)"));
      }
    }
  }

  /** Whether a folder source reads {@code relative}: no part of it starts with '.' or '_'. */
  static boolean visible(Path relative) {
    for (Path part : relative) {
      String n = part.toString();
      if (n.startsWith(".") || n.startsWith("_")) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first glob character of {@code path}, or -1. */
  static int indexOfGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
