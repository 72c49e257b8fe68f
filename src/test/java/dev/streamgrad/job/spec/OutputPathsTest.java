package dev.streamgrad.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.config.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sink and dead-letter folders are checked when the spec is read, not when the job writes. */
class OutputPathsTest {
  @TempDir
  Path dir;

  private String spec(String source, String sink, String extra) {
    return String.join("\n",
        "source: " + source,
        "layer: {type: conv2d, kernel: [3, 3]}",
        "train: {optimizer: {type: sgd, lr: 0.1}}",
        "sink: " + sink,
        extra);
  }

  private String generatorSpec(String sinkPath, String extra) {
    return spec("{type: generator, count: 10}", "{type: avro-file, path: '" + sinkPath + "'}", extra);
  }

  private Path labeledFolder(String name) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.copy(Path.of("samples/labeled.avro"), folder.resolve("a.avro"));
    return folder;
  }

  private static JobSpec parse(String yaml) throws SpecException {
    return JobSpecParser.parse("j.yaml", "j", yaml, List.of());
  }

  private static void fails(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(SpecException.class).hasMessage(message);
  }

  @Test
  void anEmptyPathIsNotTheWorkingDirectory() {
    fails(generatorSpec("", ""), "j.yaml: sink.path: must not be empty (the files would be written into the working"
        + " directory)");
    fails(generatorSpec("  ", ""), "j.yaml: sink.path: must not be empty (the files would be written into the"
        + " working directory)");
    fails(generatorSpec(dir + "/out", "deadLetters: {type: avro-file, path: ''}"), "j.yaml: deadLetters.path: must"
        + " not be empty (the files would be written into the working directory)");
  }

  @Test
  void anExistingFileIsNotAFolder() throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    fails(generatorSpec(file.toString(), ""), "j.yaml: sink.path: " + file + " is an existing file; an avro-file sink"
        + " writes its files into a folder");
    fails(generatorSpec("/dev/null", ""), "j.yaml: sink.path: /dev/null is an existing file; an avro-file sink"
        + " writes its files into a folder");
    fails(generatorSpec(file + "/out", ""), "j.yaml: sink.path: the folder " + file + "/out cannot be created: "
        + file + " is a file");
  }

  @Test
  void theDefaultDeadLetterFolderIsCheckedToo() throws IOException, SpecException {
    Path out = dir.resolve("out");
    Files.writeString(dir.resolve("out-dead-letters"), "x");
    fails(generatorSpec(out.toString(), ""), "j.yaml: deadLetters: " + out + "-dead-letters is an existing file; an"
        + " avro-file sink writes its files into a folder (dead letters go to <sink.path>-dead-letters unless the spec"
        + " names deadLetters)");
    // naming another folder resolves it
    assertThat(parse(generatorSpec(out.toString(), "deadLetters: {type: avro-file, path: " + dir.resolve("dl") + "}"))
        .deadLetters()).isEqualTo(new AvroFileSinkSpec(dir.resolve("dl").toString()));
  }

  @Test
  void aFolderThatCannotBeWrittenIsNamed() throws IOException {
    Path locked = Files.createDirectories(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // root may write anywhere: the check can only be seen as another user
      Assumptions.assumeFalse(Files.isWritable(locked), "running as root");
      fails(generatorSpec(locked.toString(), ""), "j.yaml: sink.path: the folder " + locked + " is not writable");
      fails(generatorSpec(locked + "/a/b", ""), "j.yaml: sink.path: the folder " + locked + "/a/b cannot be created: "
          + locked + " is not writable");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void existingAndCreatableFoldersPass() throws SpecException, IOException {
    Files.createDirectories(dir.resolve("exists"));
    assertThat(parse(generatorSpec(dir.resolve("exists").toString(), "")).sink())
        .isEqualTo(new AvroFileSinkSpec(dir.resolve("exists").toString()));
    assertThat(parse(generatorSpec(dir.resolve("new/deeper/out").toString(), "")).sink())
        .isEqualTo(new AvroFileSinkSpec(dir.resolve("new/deeper/out").toString()));
    assertThat(Files.exists(dir.resolve("new"))).as("the check creates nothing").isFalse();
  }

  @Test
  void anOutputMustNotBeOrLieInsideTheFolderASourceReads() throws IOException, SpecException {
    Path in = labeledFolder("in");
    String source = "{type: avro-file, path: " + in + "}";
    fails(spec(source, "{type: avro-file, path: " + in + "}", ""), "j.yaml: sink.path: " + in + " is the folder"
        + " source.path reads (" + in + "): a later run would read this output as input");
    fails(spec(source, "{type: avro-file, path: " + in + "/out}", ""), "j.yaml: sink.path: " + in + "/out lies"
        + " inside the folder source.path reads (" + in + "): a later run would read this output as input");
    // the same folder written another way, and through a symbolic link
    fails(spec(source, "{type: avro-file, path: " + in + "/x/../}", ""), "j.yaml: sink.path: " + in + "/x/../ is the"
        + " folder source.path reads (" + in + "): a later run would read this output as input");
    Path link = Files.createSymbolicLink(dir.resolve("link"), in);
    fails(spec(source, "{type: avro-file, path: " + link + "/out}", ""), "j.yaml: sink.path: " + link + "/out lies"
        + " inside the folder source.path reads (" + in + "): a later run would read this output as input");
    // dead letters inside the source folder are caught as well
    fails(spec(source, "{type: print}", "deadLetters: {type: avro-file, path: " + in + "/dead}"),
        "j.yaml: deadLetters.path: " + in + "/dead lies inside the folder source.path reads (" + in + "): a later run"
            + " would read this output as input");
    // a folder source skips names starting with '_' or '.': an output there is never read back
    assertThat(parse(spec(source, "{type: avro-file, path: " + in + "/_out}", "")).sink())
        .isEqualTo(new AvroFileSinkSpec(in + "/_out"));
    // beside the source folder is fine
    assertThat(parse(spec(source, "{type: avro-file, path: " + dir.resolve("in-out") + "}", "")).sink())
        .isEqualTo(new AvroFileSinkSpec(dir.resolve("in-out").toString()));
  }

  @Test
  void aGlobSourceReadsAnOutputOnlyWhenItsPatternMatchesItsFiles() throws IOException, SpecException {
    Path in = labeledFolder("in");
    String top = "{type: avro-file, path: '" + in + "/*.avro'}";
    assertThat(parse(spec(top, "{type: avro-file, path: " + in + "/out}", "")).sink())
        .isEqualTo(new AvroFileSinkSpec(in + "/out"));
    String deep = "{type: avro-file, path: '" + in + "/**.avro'}";
    fails(spec(deep, "{type: avro-file, path: " + in + "/out}", ""), "j.yaml: sink.path: " + in + "/out lies inside"
        + " the folder source.path reads (" + in + "/**.avro): a later run would read this output as input");
  }

  @Test
  void theSourceFileItselfIsAnExistingFile() throws IOException {
    Path in = labeledFolder("in");
    fails(spec("{type: avro-file, path: " + in + "/a.avro}", "{type: avro-file, path: " + in + "/a.avro}", ""),
        "j.yaml: sink.path: " + in + "/a.avro is an existing file; an avro-file sink writes its files into a folder");
  }

  @Test
  void outputsMustNotShareOrNestFolders() {
    Path out = dir.resolve("out");
    fails(generatorSpec(out.toString(), "deadLetters: {type: avro-file, path: " + out + "}"),
        "j.yaml: deadLetters.path: " + out + " is also the folder of sink.path; their files would mix");
    fails(generatorSpec(out.toString(), "deadLetters: {type: avro-file, path: " + out + "/dead}"),
        "j.yaml: deadLetters.path: " + out + "/dead lies inside the folder of sink.path (" + out + "); their files"
            + " would mix");
    fails(generatorSpec(out + "/snapshots", "deadLetters: {type: avro-file, path: " + out + "}"),
        "j.yaml: deadLetters.path: " + out + " contains the folder of sink.path (" + out + "/snapshots); their files"
            + " would mix");
    String predict = "predict:\n  source: {type: generator, count: 2}\n  sink: {type: avro-file, path: "
        + out + "/p}\n";
    fails(generatorSpec(out.toString(), predict), "j.yaml: predict.sink.path: " + out + "/p lies inside the folder of"
        + " sink.path (" + out + "); their files would mix");
  }

  @Test
  void printAndKafkaSinksHaveNoFolders() throws SpecException {
    JobSpec s = parse(spec("{type: generator, count: 10}", "{type: print}", ""));
    assertThat(s.deadLetters()).isEqualTo(new PrintSinkSpec(true));
  }
}
