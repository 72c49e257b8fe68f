package dev.streamgrad.job.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamgrad.flink.LayerConfig;
import dev.streamgrad.flink.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a job spec: YAML, then {@code --set key.path=value} overrides, then every section checked
 * with errors that name the file and the key path. See {@code docs/jobs.md} for the reference.
 */
public final class JobSpecParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private JobSpecParser() {}

  /** Parses {@code file} with {@code overrides} ({@code key.path=value}, value in YAML syntax). */
  public static JobSpec parse(Path file, List<String> overrides) throws SpecException {
    String shown = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(shown, "", "no such file");
    } catch (IOException e) {
      throw new SpecException(shown, "", "cannot read: " + e.getMessage());
    }
    String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return parse(shown, base, text, overrides);
  }

  /** Parses spec {@code text}; {@code shown} is the file name used in messages. */
  public static JobSpec parse(String shown, String defaultName, String text, List<String> overrides)
      throws SpecException {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SpecException(shown, "", "not valid YAML: " + yamlProblem(e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new SpecException(shown, "", "expected a mapping of keys (name, source, layer, ...), got "
          + Section.describe(root));
    }
    Overrides.apply(shown, (ObjectNode) root, overrides, YAML);
    return read(new Section(shown, "", (ObjectNode) root), defaultName);
  }

  private static String yamlProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException) {
      MarkedYAMLException m = (MarkedYAMLException) e.getCause();
      if (m.getProblemMark() != null) {
        return m.getProblem() + " (line " + (m.getProblemMark().getLine() + 1) + ", column "
            + (m.getProblemMark().getColumn() + 1) + ")";
      }
    }
    return e.getOriginalMessage().replaceAll("\\s+", " ");
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
    LayerConfig layer = LayerSpecs.read(top.requiredSection("layer"));
    if (training && layer.type() != LayerConfig.Type.CONV2D) {
      throw top.error("train", "training needs layer.type conv2d, got " + layer.type().specName());
    }
    TrainConfig train = training ? TrainSpecs.read(trainSection) : null;
    SourceSpec source = IoSpecs.source(top.requiredSection("source"), training, layer);
    SinkSpec sink = IoSpecs.sink(top.requiredSection("sink"));

    PredictSpec predict = null;
    Section p = top.section("predict");
    if (p != null) {
      if (!training) {
        throw top.error("predict", "needs a train section (the predictor serves the trainer's filters)");
      }
      p.allow("source", "sink", "model");
      predict = new PredictSpec(IoSpecs.source(p.requiredSection("source"), false, layer),
          IoSpecs.sink(p.requiredSection("sink")), p.string("model", null));
    }

    Section dl = top.section("deadLetters");
    SinkSpec deadLetters = dl != null ? IoSpecs.sink(dl) : IoSpecs.defaultDeadLetters(sink);

    boolean bounded = source.bounded() && (predict == null || predict.source().bounded());
    CheckpointSpec checkpoints = null;
    Section c = top.section("checkpoints");
    // an exactly-once Kafka sink commits its transactions on checkpoints: it needs them even when bounded
    boolean transactional = transactional(sink) || transactional(deadLetters)
        || (predict != null && transactional(predict.sink()));
    if (c != null || !bounded || transactional) {
      checkpoints = c != null ? checkpoints(c, name)
          : new CheckpointSpec(CheckpointSpec.DEFAULT_INTERVAL, "checkpoints/" + name, "hashmap");
    }
    return new JobSpec(top.file(), name, parallelism, source, layer, train, predict, sink, deadLetters,
        dl == null, checkpoints);
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
