package dev.streamgrad.job.spec;

import static dev.streamgrad.job.spec.SpecChecks.fails;
import static dev.streamgrad.job.spec.SpecChecks.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.optim.OptimizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSpecParserTest {
  private static final String TRAIN = String.join("\n",
      "name: t",
      "parallelism: 2",
      "source: {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
      "train:",
      "  optimizer: {type: sgd, lr: 0.01}",
      "  snapshotEvery: 10",
      "sink: {type: avro-file, path: out/t}",
      "");


  @Test
  void everyShippedSpecParses() throws IOException, SpecException {
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      List<Path> specs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(specs).extracting(p -> p.getFileName().toString())
          .contains("fft-features.yaml", "conv2d-forward.yaml", "train-conv2d.yaml", "train-and-predict.yaml");
      for (Path p : specs) {
        assertThat(JobSpecParser.parse(p, List.of()).name()).as(p.toString())
            .isEqualTo(p.getFileName().toString().replace(".yaml", ""));
      }
    }
  }

  @Test
  void readsEverySectionWithTorchDefaults() throws SpecException {
    JobSpec s = parse(TRAIN);
    assertThat(s.name()).isEqualTo("t");
    assertThat(s.parallelism()).isEqualTo(2);
    GeneratorSpec g = (GeneratorSpec) s.source();
    assertThat(g.count()).isEqualTo(100);
    assertThat(g.keys()).containsExactly("a", "b");
    assertThat(g.shape()).containsExactly(8, 8);
    assertThat(g.noise()).isEqualTo(0.01);
    assertThat(g.trueFilter()).hasDimensions(3, 3);
    assertThat(s.layer()).isEqualTo(Conv2dSpec.seeded(3, 3, 1));
    assertThat(s.train().optimizer()).isInstanceOf(OptimizerSpec.SgdSpec.class);
    assertThat(((OptimizerSpec.SgdSpec) s.train().optimizer()).lr()).isEqualTo(0.01);
    assertThat(((OptimizerSpec.SgdSpec) s.train().optimizer()).momentum()).isZero();
    assertThat(s.train().batchSize()).isEqualTo(1);
    assertThat(s.train().snapshotEvery()).isEqualTo(10);
    assertThat(s.sink()).isEqualTo(new AvroFileSinkSpec("out/t"));
    assertThat(s.deadLetters()).isEqualTo(new AvroFileSinkSpec("out/t-dead-letters"));
    assertThat(s.deadLettersDefaulted()).isTrue();
    assertThat(s.checkpoints()).as("bounded source: off unless asked").isNull();
  }

  @Test
  void unknownKeysNameTheFileTheKeyPathAndTheAllowedKeys() {
    fails(TRAIN.replace("snapshotEvery", "snapshotEvry"),
        "jobs/x.yaml: train.snapshotEvry: unknown key (expected one of: loss, optimizer, batchSize, snapshotEvery, clipGradNorm,"
        + " lossGuard, lrSchedule, evaluation, drift, init)");
    fails(TRAIN + "colour: red\n", "jobs/x.yaml: colour: unknown key (expected one of: name, parallelism, source,"
        + " layer, train, predict, sink, deadLetters, checkpoints)");
    fails(TRAIN.replace("lr: 0.01", "lr: 0.01, betas: [0.9, 0.99]"), "jobs/x.yaml: train.optimizer.betas: unknown"
        + " key (expected one of: type, lr, momentum, dampening, nesterov, weightDecay)");
  }

  @Test
  void badValuesNameTheKeyAndTheValue() {
    fails(TRAIN.replace("lr: 0.01", "lr: -1"), "jobs/x.yaml: train.optimizer.lr: must be > 0, got -1");
    fails(TRAIN.replace("parallelism: 2", "parallelism: two"),
        "jobs/x.yaml: parallelism: expected an integer, got string 'two'");
    fails(TRAIN.replace("parallelism: 2", "parallelism: 0"), "jobs/x.yaml: parallelism: must be >= 1, got 0");
    fails(TRAIN.replace("kernel: [3, 3]", "kernel: 3"),
        "jobs/x.yaml: layer.kernel: expected a list of 2 positive integers, got number 3");
    fails(TRAIN.replace("type: sgd", "type: rmsprop"),
        "jobs/x.yaml: train.optimizer.type: must be one of sgd, adam, got 'rmsprop'");
    fails(TRAIN.replace("type: generator", "type: kafak"),
        "jobs/x.yaml: source.type: must be one of generator, avro-file, kafka, got 'kafak'");
    fails(TRAIN.replace("snapshotEvery: 10", "snapshotEvery: 1.5"),
        "jobs/x.yaml: train.snapshotEvery: expected an integer, got number 1.5");
    fails(TRAIN.replace("keys: [a, b]", "keys: [a, a]"), "jobs/x.yaml: source.keys: 'a' is listed twice");
    fails(TRAIN.replace("type: sgd, lr: 0.01", "type: sgd, lr: 0.01, nesterov: true"),
        "jobs/x.yaml: train.optimizer.nesterov: needs momentum > 0 and dampening 0 (as torch.optim.SGD),"
            + " got momentum 0, dampening 0");
    fails(TRAIN.replace("type: sgd, lr: 0.01", "type: adam, betas: [0.9, 1.0]"),
        "jobs/x.yaml: train.optimizer.betas: each must be in [0, 1), got [0.9, 1]");
    fails(TRAIN.replace("name: t", "name: a b"),
        "jobs/x.yaml: name: use letters, digits, '.', '_' and '-' only, got 'a b'");
    fails(TRAIN + "checkpoints: {interval: soon}\n",
        "jobs/x.yaml: checkpoints.interval: expected a duration like 500ms, 10s, 2m or 1h, got string 'soon'");
    fails(TRAIN + "checkpoints: {backend: memory}\n",
        "jobs/x.yaml: checkpoints.backend: must be one of hashmap, rocksdb, got 'memory'");
  }

  @Test
  void missingSectionsAreNamed() {
    fails(TRAIN.replace("sink: {type: avro-file, path: out/t}\n", ""), "jobs/x.yaml: sink: missing (required)");
    fails(TRAIN.replace("type: sgd, lr: 0.01", "type: sgd"), "jobs/x.yaml: train.optimizer.lr: missing (learning rate, required for sgd)");
    fails(TRAIN.replace("kernel: [3, 3], ", ""),
        "jobs/x.yaml: layer.kernel: missing (required for conv2d unless layer.init.filter is given)");
  }

  @Test
  void kernelLargerThanTheGeneratorShapeFailsBeforeTheJob() {
    fails(TRAIN.replace("shape: [8, 8]", "shape: [2, 9]"),
        "jobs/x.yaml: layer.kernel: kernel 3x3 is larger than the generator's source.shape 2x9");
  }

  @Test
  void missingInputFilesAndEmptyGlobsAreNamed(@TempDir Path dir) {
    String avro = TRAIN.replace("{type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
        "{type: avro-file, path: " + dir.resolve("nope.avro") + "}");
    fails(avro, "jobs/x.yaml: source.path: no such file or folder: " + dir.resolve("nope.avro"));
    fails(avro.replace("nope.avro", "*.avro"), "jobs/x.yaml: source.path: no file matches the glob " + dir + "/*.avro");
    fails(avro.replace("/nope.avro", ""), "jobs/x.yaml: source.path: folder " + dir + " holds no files");
  }

  @Test
  void avroFilesMustHoldTheRecordTypeTheSourceFeeds(@TempDir Path dir) throws IOException {
    String avro = TRAIN.replace("{type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
        "{type: avro-file, path: PATH}");
    fails(avro.replace("PATH", "samples/unlabeled.avro"), "jobs/x.yaml: source.path: samples/unlabeled.avro holds"
        + " dev.streamgrad.avro.TensorRecord records; this source needs LabeledTensorRecord (the source of a spec"
        + " with train)");
    Path junk = Files.writeString(dir.resolve("junk.avro"), "not avro");
    fails(avro.replace("PATH", junk.toString()), "jobs/x.yaml: source.path: " + junk
        + " is not a readable Avro container file (Not an Avro data file.)");
  }

  @Test
  void avroFilePathsResolveFilesFoldersAndGlobsInSortedOrder(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    byte[] labeled = Files.readAllBytes(Path.of("samples/labeled.avro"));
    for (String f : new String[] {"b.avro", "a.avro", "c.txt", ".hidden.avro", "_SUCCESS", "sub/d.avro"}) {
      Files.write(dir.resolve(f), labeled);
    }
    String avro = TRAIN.replace("{type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
        "{type: avro-file, path: 'PATH'}");
    AvroFileSourceSpec glob = (AvroFileSourceSpec) parse(avro.replace("PATH", dir + "/*.avro")).source();
    assertThat(glob.files()).containsExactly(dir + "/a.avro", dir + "/b.avro");
    AvroFileSourceSpec deep = (AvroFileSourceSpec) parse(avro.replace("PATH", dir + "/**.avro")).source();
    assertThat(deep.files()).containsExactly(dir + "/a.avro", dir + "/b.avro", dir + "/sub/d.avro");
    AvroFileSourceSpec folder = (AvroFileSourceSpec) parse(avro.replace("PATH", dir.toString())).source();
    assertThat(folder.files()).containsExactly(dir + "/a.avro", dir + "/b.avro", dir + "/c.txt", dir + "/sub/d.avro");
    AvroFileSourceSpec one = (AvroFileSourceSpec) parse(avro.replace("PATH", dir + "/b.avro")).source();
    assertThat(one.files()).containsExactly(dir + "/b.avro");
  }

  @Test
  void setOverridesValuesCreatesSectionsAndNullRemoves() throws SpecException {
    JobSpec s = parse(TRAIN, "train.optimizer.lr=0.5", "layer.kernel=[5, 5]", "checkpoints.interval=500ms",
        "checkpoints.backend=rocksdb", "source.count=null", "deadLetters={type: print}");
    assertThat(((OptimizerSpec.SgdSpec) s.train().optimizer()).lr()).isEqualTo(0.5);
    assertThat(((Conv2dSpec) s.layer()).kernelHeight()).isEqualTo(5);
    assertThat(s.checkpoints().interval()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.checkpoints().backend()).isEqualTo("rocksdb");
    assertThat(s.checkpoints().dir()).isEqualTo("checkpoints/t");
    assertThat(s.source().bounded()).isFalse();
    assertThat(s.deadLetters()).isEqualTo(new PrintSinkSpec(false));
    assertThat(s.deadLettersDefaulted()).isFalse();
  }

  @Test
  void setErrorsAreCheckedLikeTheFile() {
    fails(TRAIN, "jobs/x.yaml: train.optimizer.lr: must be > 0, got -1", "train.optimizer.lr=-1");
    fails(TRAIN, "jobs/x.yaml: train.optimizer.lrr: unknown key (expected one of: type, lr, momentum, dampening,"
        + " nesterov, weightDecay)", "train.optimizer.lrr=1");
    fails(TRAIN, "jobs/x.yaml: name: --set name.x: is string 't', not a mapping", "name.x=1");
    fails(TRAIN, "jobs/x.yaml: lr: --set needs key.path=value", "lr");
  }

  @Test
  void unboundedSourcesGetCheckpointsByDefault() throws SpecException {
    JobSpec s = parse(TRAIN, "source.count=null");
    assertThat(s.checkpoints()).isEqualTo(new CheckpointSpec(Duration.ofSeconds(10), "checkpoints/t", "hashmap"));
  }

  @Test
  void layerRules() throws SpecException {
    fails(TRAIN.replace("type: conv2d, kernel: [3, 3], init: {seed: 1}", "type: fft-magnitude"),
        "jobs/x.yaml: train: training needs a layer with parameters; fft-magnitude has none");
    fails("layer: {type: bad-fft, kernel: [3, 3]}", "jobs/x.yaml: layer.kernel: unknown key (expected one of: type)");
    fails(TRAIN.replace("init: {seed: 1}", "init: {seed: 1, filter: [[1]]}"),
        "jobs/x.yaml: layer.init.seed: give either init.seed or init.filter, not both");
    fails(TRAIN.replace("init: {seed: 1}", "init: {filter: [[1, 2], [3, 4]]}"),
        "jobs/x.yaml: layer.init.filter: is 2x2 but layer.kernel is 3x3");
    fails(TRAIN.replace("init: {seed: 1}", "init: {filter: [[1, 2], [3]]}"), "jobs/x.yaml: layer.init.filter:"
        + " expected a list of equally long lists of numbers, got [[1,2],[3]]");

    JobSpec explicit = parse(TRAIN.replace("kernel: [3, 3], init: {seed: 1}", "init: {filter: [[1, 2], [3, 4]], bias: 0.5}"));
    assertThat(explicit.layer()).isEqualTo(Conv2dSpec.explicit(new double[][] {{1, 2}, {3, 4}}, 0.5));

    // a bias with a seeded filter: the filter is the one Conv2d(3, 3, seed) draws
    JobSpec biased = parse(TRAIN.replace("init: {seed: 1}", "init: {seed: 1}, bias: 0.25"));
    Tensor drawn = Tensor.randn(new Random(1), 3, 3);
    assertThat(((Conv2dSpec) biased.layer()).filter()[2][1]).isEqualTo(drawn.get(2, 1));
    assertThat(((Conv2dSpec) biased.layer()).bias()).isEqualTo(0.25);
  }

  @Test
  void trueFilterRules() throws SpecException {
    fails(TRAIN.replace("seed: 3}", "seed: 3, trueFilter: {filter: [[1, 2], [3, 4]]}}"),
        "jobs/x.yaml: source.trueFilter.filter: is 2x2 but layer.kernel is 3x3");
    JobSpec given = parse(TRAIN.replace("seed: 3}", "seed: 3, trueFilter: {filter: [[1, 2, 3], [4, 5, 6], [7, 8, 9]],"
        + " bias: -1}}"));
    assertThat(((GeneratorSpec) given.source()).trueFilter()[2]).containsExactly(7, 8, 9);
    assertThat(((GeneratorSpec) given.source()).trueBias()).isEqualTo(-1);
    // unlabeled generators have no hidden filter
    fails("source: {type: generator, trueFilter: {seed: 1}}\nlayer: {type: fft-magnitude}\nsink: {type: print}\n",
        "jobs/x.yaml: source.trueFilter: only for labeled records (the source of a spec with train);"
            + " this source makes unlabeled tensors");
  }

  @Test
  void predictNeedsTrainAndReadsItsOwnSourceAndSink() throws SpecException {
    String predict = "predict:\n  source: {type: generator, count: 5, keys: [a]}\n  sink: {type: print, stream: stderr}\n";
    JobSpec s = parse(TRAIN + predict);
    assertThat(s.predict().sink()).isEqualTo(new PrintSinkSpec(true));
    assertThat(((GeneratorSpec) s.predict().source()).count()).isEqualTo(5);
    assertThat(s.predict().model()).isNull();
    fails("layer: {type: fft-magnitude}\nsource: {type: generator}\nsink: {type: print}\n" + predict,
        "jobs/x.yaml: predict: needs a train section (the predictor serves the trainer's filters)");
  }

  @Test
  void printSinksSendDeadLettersToStderrByDefault() throws SpecException {
    JobSpec s = parse("source: {type: generator, count: 3}\nlayer: {type: bad-fft}\nsink: {type: print}\n");
    assertThat(s.name()).isEqualTo("x");
    assertThat(s.deadLetters()).isEqualTo(new PrintSinkSpec(true));
  }

  @Test
  void fileAndYamlErrors(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> JobSpecParser.parse(dir.resolve("none.yaml"), List.of()))
        .hasMessage(dir.resolve("none.yaml") + ": no such file");
    fails("a: [1, 2", "jobs/x.yaml: not valid YAML: expected ',' or ']', but got <stream end> (line 1, column 9)");
    fails("- 1\n- 2\n", "jobs/x.yaml: expected a mapping of keys (name, source, layer, ...), got a list");
  }
}
