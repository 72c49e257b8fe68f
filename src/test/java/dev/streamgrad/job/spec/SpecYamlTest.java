package dev.streamgrad.job.spec;

import static dev.streamgrad.job.spec.SpecChecks.fails;
import static dev.streamgrad.job.spec.SpecChecks.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.config.SpecException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML as a spec reads it: duplicate keys, aliases, merge keys, tags, non-finite values and limits. */
class SpecYamlTest {
  private static final String TRAIN = String.join("\n",
      "name: t",
      "source: {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
      "train:",
      "  optimizer: {type: sgd, lr: 0.01}",
      "sink: {type: print}",
      "");


  private static JsonNode yaml(String text) throws SpecException {
    return SpecYaml.read("x.yaml", "", text);
  }

  @Test
  void aDuplicateKeyNamesBothLines() {
    // the case: a second sink silently replaced the first
    fails(TRAIN + "sink: {type: avro-file, path: out/t}\n",
        "jobs/x.yaml: sink: given twice, on lines 6 and 7 (a key may appear once in a mapping)");
    fails(TRAIN.replace("lr: 0.01", "lr: 0.01, lr: 0.5"),
        "jobs/x.yaml: train.optimizer.lr: given twice, on lines 5 and 5 (a key may appear once in a mapping)");
    fails("layer:\n  type: conv2d\n  kernel: [3, 3]\n  type: bad-fft\n",
        "jobs/x.yaml: layer.type: given twice, on lines 2 and 4 (a key may appear once in a mapping)");
  }

  @Test
  void duplicateKeysInsideListsAndSetValuesAreNamedToo() {
    assertThatThrownBy(() -> yaml("a:\n  - {b: 1, b: 2}\n")).hasMessage(
        "x.yaml: a[0].b: given twice, on lines 2 and 2 (a key may appear once in a mapping)");
    fails(TRAIN, "jobs/x.yaml: train.optimizer.lr: --set train.optimizer: given twice, on lines 1 and 1 (a key may"
        + " appear once in a mapping)", "train.optimizer={type: sgd, lr: 1, lr: 2}");
  }

  @Test
  void anAliasIsTheNodeItsAnchorNames() throws SpecException {
    // the case trained a model named "k": as YAML defines it, *k is alpha
    fails(TRAIN.replace("keys: [a, b]", "keys: [&k alpha, *k]"), "jobs/x.yaml: source.keys: 'alpha' is listed twice");
    JobSpec s = parse(TRAIN.replace("keys: [a, b]", "keys: [&k alpha, beta]")
        + "predict:\n  source: {type: generator, count: 4, keys: [*k]}\n  sink: {type: print}\n");
    assertThat(((GeneratorSpec) s.predict().source()).keys()).containsExactly("alpha");
    JsonNode tree = yaml("a: &m {x: 1, y: [1, 2]}\nb: *m\nc: &s 7\nd: *s\n");
    assertThat(tree.get("b")).isEqualTo(tree.get("a"));
    assertThat(tree.get("d").asInt()).isEqualTo(7);
  }

  @Test
  void mergeKeysMergeMappingsAndTheirOwnKeysWin() throws SpecException {
    JobSpec s = parse(TRAIN.replace("source: {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}",
        "source: &src {type: generator, count: 100, keys: [a, b], shape: [8, 8], seed: 3}")
        + "predict:\n  source: {<<: *src, count: 5}\n  sink: {type: print}\n");
    GeneratorSpec p = (GeneratorSpec) s.predict().source();
    assertThat(p.count()).isEqualTo(5);
    assertThat(p.keys()).containsExactly("a", "b");
    assertThat(p.shape()).containsExactly(8, 8);
    JsonNode tree = yaml("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n");
    assertThat(tree.get("c").toString()).isEqualTo("{\"z\":3,\"x\":1,\"y\":1}");
    assertThatThrownBy(() -> yaml("a: &s 1\nb: {<<: *s}\n")).hasMessage("x.yaml: b: '<<' merges mappings: give it a"
        + " mapping, an alias of one, or a list of them (line 1)");
  }

  @Test
  void recursiveAliasesAreRejected() {
    assertThatThrownBy(() -> yaml("a: &a [1, *a]\n")).hasMessage("x.yaml: a[1]: the alias *a names a node that"
        + " contains it (a recursive structure, which a spec cannot hold) (line 1)");
    assertThatThrownBy(() -> yaml("a: &a {b: *a}\n")).hasMessageStartingWith("x.yaml: a.b: the alias *a names");
  }

  @Test
  void anAliasBombIsAnsweredQuickly() {
    // "billion laughs": 9 levels of 9 aliases expand to 9^9 values
    StringBuilder b = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      String prev = "*l" + (i - 1);
      b.append("l").append(i).append(": &l").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
    }
    long start = System.nanoTime();
    assertThatThrownBy(() -> yaml(b.toString())).isInstanceOf(SpecException.class)
        .hasMessageContaining("expands to more than 250,000 values (through aliases)");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(5);
    // beyond 100 aliases of lists or mappings SnakeYAML stops before anything is expanded
    StringBuilder many = new StringBuilder("a: &a [1]\nb: [");
    many.append(String.join(", ", java.util.Collections.nCopies(101, "*a"))).append("]\n");
    assertThatThrownBy(() -> yaml(many.toString())).hasMessageContaining("not valid YAML: Number of aliases for"
        + " non-scalar nodes exceeds the specified max=100");
  }

  @Test
  void nonFiniteValuesAreErrorsThatNameTheKey() {
    fails(TRAIN.replace("lr: 0.01", "lr: .nan"), "jobs/x.yaml: train.optimizer.lr: must be finite, got NaN");
    fails(TRAIN.replace("lr: 0.01", "lr: .inf"), "jobs/x.yaml: train.optimizer.lr: must be finite, got Infinity");
    fails(TRAIN.replace("lr: 0.01", "lr: -.Inf"), "jobs/x.yaml: train.optimizer.lr: must be finite, got -Infinity");
    fails(TRAIN.replace("type: sgd, lr: 0.01", "type: adam, betas: [0.9, .NaN]"),
        "jobs/x.yaml: train.optimizer.betas: element 1 must be finite, got NaN");
    fails(TRAIN.replace("init: {seed: 1}", "init: {filter: [[1, 2], [3, .inf]]}"),
        "jobs/x.yaml: layer.init.filter: element [1][1] must be finite, got Infinity");
    fails(TRAIN.replace("seed: 3}", "seed: 3, noise: .nan}"), "jobs/x.yaml: source.noise: must be finite, got NaN");
    fails(TRAIN.replace("count: 100", "count: .inf"), "jobs/x.yaml: source.count: expected an integer, got number"
        + " Infinity");
    // 1e400 is a finite literal that no double holds
    fails(TRAIN.replace("lr: 0.01", "lr: 1e400"), "jobs/x.yaml: train.optimizer.lr: must be finite, got Infinity");
    fails(TRAIN, "jobs/x.yaml: train.optimizer.lr: must be finite, got NaN", "train.optimizer.lr=.nan");
  }

  @Test
  void valuesMeantAsTextThatYamlTypesOtherwiseAreNamed() throws SpecException {
    fails(TRAIN.replace("name: t", "name: .nan"), "jobs/x.yaml: name: expected a string, got number NaN (YAML reads"
        + " .nan and .inf as numbers; quote it to mean the text)");
    fails(TRAIN.replace("keys: [a, b]", "keys: [yes, no]"), "jobs/x.yaml: source.keys: element 0: expected a string,"
        + " got boolean true (YAML reads yes, no, on, off, true and false as booleans; quote it to mean the text)");
    assertThat(((GeneratorSpec) parse(TRAIN.replace("keys: [a, b]", "keys: ['yes', 'no']")).source()).keys())
        .containsExactly("yes", "no");
    assertThat(parse(TRAIN.replace("name: t", "name: !!str 5")).name()).isEqualTo("5");
  }

  @Test
  void yamlOneOneNumbersKeepTheirMeaning() throws SpecException {
    GeneratorSpec g = (GeneratorSpec) parse(TRAIN.replace("count: 100", "count: 1_000")
        .replace("seed: 3", "seed: 0x10")).source();
    assertThat(g.count()).isEqualTo(1000);
    assertThat(g.seed()).isEqualTo(16);
    assertThat(yaml("a: 12345678901234567890").get("a").bigIntegerValue().toString())
        .isEqualTo("12345678901234567890");
    assertThat(yaml("a: ~\nb:\nc: null").get("a").isNull()).isTrue();
    assertThat(yaml("")).isNull();
    assertThat(yaml("# only a comment\n")).isNull();
  }

  @Test
  void tagsOtherThanYamlsOwnAreRejected() {
    assertThatThrownBy(() -> yaml("a: 1\nb: !secret x\n")).hasMessage("x.yaml: b: unsupported YAML tag !secret"
        + " (a spec uses YAML's plain types) (line 2)");
    assertThatThrownBy(() -> yaml("a: !!set {x, y}\n")).hasMessageStartingWith("x.yaml: a: unsupported YAML tag");
    assertThatThrownBy(() -> yaml("a: !!int abc\n")).hasMessage("x.yaml: a: 'abc' is not a valid !!int (line 1)");
  }

  @Test
  void keysMustBePlainValuesAndTheDocumentOne() {
    assertThatThrownBy(() -> yaml("? [a, b]\n: 1\n")).hasMessage("x.yaml: a key must be a plain value, not a list or"
        + " a mapping (line 1)");
    assertThatThrownBy(() -> yaml("a: 1\n---\nb: 2\n")).hasMessage("x.yaml: not valid YAML: expected a"
        + " single document in the stream, but found another document (line 2, column 1)");
    assertThatThrownBy(() -> yaml("a: [1, 2\n")).hasMessageStartingWith("x.yaml: not valid YAML: ")
        .hasMessageContaining("line ");
  }

  @Test
  void nestingDeeperThan32LevelsIsRejected() throws SpecException {
    String deep = "a: " + "[".repeat(40) + "]".repeat(40) + "\n";
    assertThatThrownBy(() -> yaml(deep)).hasMessageStartingWith("x.yaml: not valid YAML: Nesting Depth exceeded");
    assertThat(yaml("a: " + "[".repeat(20) + "]".repeat(20)).get("a").isArray()).isTrue();
  }

  @Test
  void aLongTextIsRejectedBeforeItIsParsed() {
    String huge = "name: " + "x".repeat(16 << 20) + "\n";
    long start = System.nanoTime();
    assertThatThrownBy(() -> parse(huge)).hasMessage(
        "jobs/x.yaml: is 16,777,223 characters long; a spec may have at most 262,144");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(1);
  }

  @Test
  void specFilesOf16And50MegabytesAreRejectedWithoutReadingThem(@TempDir Path dir) throws IOException {
    for (int mb : new int[] {16, 50}) {
      Path f = dir.resolve("big-" + mb + ".yaml");
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 'x');
      try (OutputStream out = Files.newOutputStream(f)) {
        out.write("name: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < mb; i++) {
          out.write(chunk);
        }
      }
      long start = System.nanoTime();
      assertThatThrownBy(() -> JobSpecParser.parse(f, List.of())).hasMessage(f + String.format(java.util.Locale.ROOT,
          ": is %,d bytes; a spec file may have at most 262,144 bytes (256 KiB)", Files.size(f)));
      assertThat((System.nanoTime() - start) / 1e9).as("seconds for %d MB", mb).isLessThan(1);
    }
  }

  @Test
  void aSpecAtTheSizeLimitIsRead(@TempDir Path dir) throws IOException, SpecException {
    // a comment fills the file up to exactly 256 KiB
    String body = TRAIN + "# ";
    String text = body + "x".repeat(SpecYaml.MAX_CHARS - body.length() - 1) + "\n";
    Path f = Files.writeString(dir.resolve("limit.yaml"), text);
    assertThat(Files.size(f)).isEqualTo(SpecYaml.MAX_CHARS);
    assertThat(JobSpecParser.parse(f, List.of()).name()).isEqualTo("t");
    Files.writeString(f, text + "\n");
    assertThatThrownBy(() -> JobSpecParser.parse(f, List.of())).hasMessageContaining("is 262,145 bytes");
  }

  @Test
  void theSlowestTextWithinTheLimitIsAnsweredInSeconds() {
    // the most values a text of the size limit can hold: a flow list of one-digit numbers
    StringBuilder b = new StringBuilder("name: t\nsource: {type: generator, keys: [");
    while (b.length() < SpecYaml.MAX_CHARS - 10) {
      b.append("1,");
    }
    b.append("1]}\n");
    long start = System.nanoTime();
    assertThatThrownBy(() -> parse(b.toString())).hasMessage("jobs/x.yaml: layer: missing (required)");
    assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(5);
  }

  @Test
  void streamsWithoutASizeAreCutOffToo() {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero));
    assertThatThrownBy(() -> JobSpecParser.parse(zero, List.of()))
        .hasMessage("/dev/zero: holds more than 262,144 bytes; a spec file may have at most 262,144 bytes (256 KiB)");
  }

  @Test
  void filesThatAreNotUtf8TextOrNotFilesAreNamed(@TempDir Path dir) throws IOException {
    Path latin1 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9});
    assertThatThrownBy(() -> JobSpecParser.parse(latin1, List.of()))
        .hasMessageStartingWith(latin1 + ": is not UTF-8 text");
    assertThatThrownBy(() -> JobSpecParser.parse(dir, List.of())).hasMessage(dir + ": is a folder, not a spec file");
  }
}
