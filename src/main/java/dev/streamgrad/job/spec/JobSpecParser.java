package dev.streamgrad.job.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.layers.LayerRegistry;
import dev.streamgrad.layers.LayerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a job spec: YAML, then {@code --set key.path=value} overrides, then every section checked
 * with errors that name the file and the key path. See {@code docs/jobs.md} for the reference.
 */
public final class JobSpecParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private JobSpecParser() {}

  /**
   * Parses {@code file} with {@code overrides} ({@code key.path=value}, value in YAML syntax). A file
   * of more than {@link SpecYaml#MAX_CHARS} bytes is rejected before it is read.
   */
  public static JobSpec parse(Path file, List<String> overrides) throws SpecException {
    String shown = file.toString();
    String base = file.getFileName() == null ? "job" : file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return parse(shown, base, read(file, shown), overrides);
  }

  /** Parses spec {@code text}; {@code shown} is the file name used in messages. */
  public static JobSpec parse(String shown, String defaultName, String text, List<String> overrides)
      throws SpecException {
    JsonNode root = SpecYaml.read(shown, "", text);
    if (root == null || root.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new SpecException(shown, "", "expected a mapping of keys (name, source, layer, ...), got "
          + Section.describe(root));
    }
    Overrides.apply(shown, (ObjectNode) root, overrides);
    return read(new Section(shown, "", (ObjectNode) root), defaultName);
  }

  /** The text of {@code file}: at most {@link SpecYaml#MAX_CHARS} bytes of UTF-8, read no further. */
  private static String read(Path file, String shown) throws SpecException {
    if (Files.isDirectory(file)) {
      throw new SpecException(shown, "", "is a folder, not a spec file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // a bounded read, not Files.size: a pipe or a device has no size to ask
      bytes = in.readNBytes(SpecYaml.MAX_CHARS + 1);
    } catch (NoSuchFileException e) {
      throw new SpecException(shown, "", "no such file");
    } catch (IOException e) {
      throw new SpecException(shown, "", "cannot read: " + e.getMessage());
    }
    if (bytes.length > SpecYaml.MAX_CHARS) {
      long size = -1;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        // a stream without a size: say only that it is too large
      }
      throw new SpecException(shown, "", (size > SpecYaml.MAX_CHARS ? String.format(Locale.ROOT, "is %,d bytes", size)
          : String.format(Locale.ROOT, "holds more than %,d bytes", SpecYaml.MAX_CHARS))
          + String.format(Locale.ROOT, "; a spec file may have at most %,d bytes (256 KiB)", SpecYaml.MAX_CHARS));
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new SpecException(shown, "", "is not UTF-8 text (" + e.getMessage() + ")");
    }
  }

  private static JobSpec read(Section top, String defaultName) throws SpecException {
    top.allow("name", "parallelism", "source", "layer", "train", "predict", "sink", "deadLetters", "checkpoints");
    String name = top.string("name", defaultName);
    if (!NAME.matcher(name).matches()) {
      throw top.error("name", "use letters, digits, '.', '_' and '-' only, got '" + name + "'");
    }
    int parallelism = top.intValue("parallelism", 2, 1);
    Section trainSection = top.section("train");
    boolean training = trainSection != null;
    LayerSpec layer = LayerRegistry.load().read(top.requiredSection("layer"));
    if (training && layer.create().parameters().isEmpty()) {
      throw top.error("train", "training needs a layer with parameters; " + layer + " has none");
    }
    TrainConfig train = training ? TrainSpecs.read(trainSection) : null;
    if (training) {
      layer = InitSpecs.read(trainSection.section("init"), layer, train);
    }
    SourceSpec source = IoSpecs.source(top.requiredSection("source"), training, layer);
    SinkSpec sink = IoSpecs.sink(top.requiredSection("sink"));

    PredictSpec predict = null;
    Section p = top.section("predict");
    if (p != null) {
      if (!training) {
        throw top.error("predict", "needs a train section (the predictor serves the trainer's filters)");
      }
      predict = PredictSpecs.read(p, layer);
    }

    Section dl = top.section("deadLetters");
    SinkSpec deadLetters = dl != null ? IoSpecs.sink(dl) : IoSpecs.defaultDeadLetters(sink);
    Section drift = training ? trainSection.section("drift") : null;
    Section driftSink = drift == null ? null : drift.section("events");
    SinkSpec driftEvents = drift == null ? null
        : driftSink != null ? IoSpecs.sink(driftSink) : IoSpecs.defaultDriftEvents(sink);

    IoSpecs.checkRecordSize(top.file(), "source", source, parallelism);
    if (predict != null) {
      IoSpecs.checkRecordSize(top.file(), "predict.source", predict.source(), parallelism);
      if (predict.scoring() != null) {
        IoSpecs.checkRecordSize(top.file(), "predict.labels", predict.scoring().labels(), parallelism);
      }
    }
    checkPaths(top.file(), source, sink, predict, deadLetters, dl == null, driftEvents, driftSink == null);

    boolean bounded = source.bounded() && (predict == null || predict.bounded());
    CheckpointSpec checkpoints = null;
    Section c = top.section("checkpoints");
    // an exactly-once Kafka sink commits its transactions on checkpoints: it needs them even when bounded
    boolean transactional = transactional(sink) || transactional(deadLetters) || transactional(driftEvents)
        || (predict != null && transactional(predict.sink()))
        || (predict != null && predict.scoring() != null && transactional(predict.scoring().scores()));
    if (c != null || !bounded || transactional) {
      checkpoints = c != null ? checkpoints(c, name)
          : new CheckpointSpec(CheckpointSpec.DEFAULT_INTERVAL, "checkpoints/" + name, "hashmap");
    }
    return new JobSpec(top.file(), name, parallelism, source, layer, train, predict, sink, deadLetters,
        dl == null, checkpoints, driftEvents);
  }

  private static void checkPaths(String file, SourceSpec source, SinkSpec sink, PredictSpec predict,
      SinkSpec deadLetters, boolean deadLettersDefaulted, SinkSpec driftEvents, boolean driftEventsDefaulted)
      throws SpecException {
    List<OutputPaths.Output> outputs = new ArrayList<>();
    List<OutputPaths.Input> inputs = new ArrayList<>();
    addOutput(outputs, "sink.path", sink, "");
    addInput(inputs, "source.path", source);
    if (predict != null) {
      addOutput(outputs, "predict.sink.path", predict.sink(), "");
      addInput(inputs, "predict.source.path", predict.source());
      if (predict.scoring() != null) {
        addOutput(outputs, "predict.scores.path", predict.scoring().scores(), "");
        addInput(inputs, "predict.labels.path", predict.scoring().labels());
      }
    }
    if (deadLettersDefaulted) {
      addOutput(outputs, "deadLetters", deadLetters, " (dead letters go to <sink.path>-dead-letters unless the"
          + " spec names deadLetters)");
    } else {
      addOutput(outputs, "deadLetters.path", deadLetters, "");
    }
    if (driftEvents != null) {
      addOutput(outputs, driftEventsDefaulted ? "train.drift" : "train.drift.events.path", driftEvents,
          driftEventsDefaulted ? " (drift events go to <sink.path>-drift-events unless train.drift names events)" : "");
    }
    OutputPaths.check(file, outputs, inputs);
  }

  private static void addOutput(List<OutputPaths.Output> outputs, String key, SinkSpec sink, String note) {
    if (sink instanceof AvroFileSinkSpec) {
      outputs.add(new OutputPaths.Output(key, ((AvroFileSinkSpec) sink).path(), note));
    }
  }

  private static void addInput(List<OutputPaths.Input> inputs, String key, SourceSpec source) {
    if (source instanceof AvroFileSourceSpec) {
      inputs.add(new OutputPaths.Input(key, ((AvroFileSourceSpec) source).path()));
    }
  }

  private static boolean transactional(SinkSpec sink) {
    return sink instanceof KafkaSinkSpec && ((KafkaSinkSpec) sink).transactional();
  }

  private static CheckpointSpec checkpoints(Section c, String name) throws SpecException {
    c.allow("interval", "dir", "backend");
    return new CheckpointSpec(c.duration("interval", CheckpointSpec.DEFAULT_INTERVAL),
        c.string("dir", "checkpoints/" + name), c.choice("backend", "hashmap", "hashmap", "rocksdb"));
  }
}
