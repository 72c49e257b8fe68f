package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.job.AvroFiles;
import dev.streamgrad.models.NpzFiles;
import dev.streamgrad.models.TensorFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models in and out through the CLI, on the main job's spec with an avro-file source of one model's
 * 600 records split in two halves: a run on the second half that starts where a run on the first
 * half stopped, through {@code train.init} (its snapshots or its exported {@code .npz}) or through a
 * savepoint that {@code savepoint create} wrote from them, gives exactly the snapshots of a run on
 * the whole stream (SGD without momentum, no guards: PyTorch's exact updates). {@code export
 * --savepoint} lists and exports that savepoint's model.
 */
class ModelsInAndOutITCase {
  private static final String SPEC = "jobs/train-conv2d.yaml";

  @TempDir
  Path tmp;

  private List<FilterSnapshot> whole;

  @BeforeEach
  void generateAndSplit() throws Exception {
    AvroFiles.Cli g = AvroFiles.cli("generate", "--out", tmp.resolve("g").toString(), "--labeled", "600",
        "--unlabeled", "0", "--keys", "alpha");
    assertThat(g.code()).as(g.err()).isZero();
    List<GenericRecord> records = new ArrayList<>();
    try (DataFileReader<GenericRecord> r = new DataFileReader<>(tmp.resolve("g/labeled.avro").toFile(),
        new GenericDatumReader<>())) {
      r.forEach(records::add);
    }
    assertThat(records).hasSize(600);
    write(records.subList(0, 300), tmp.resolve("in-first/part.avro"));
    write(records.subList(300, 600), tmp.resolve("in-rest/part.avro"));
    run("g/labeled.avro", "whole");
    whole = snapshots("whole");
    assertThat(whole).extracting(FilterSnapshot::getVersion).containsExactly(100L, 200L, 300L, 400L, 500L, 600L);
    run("in-first/part.avro", "first");
  }

  @Test
  void trainInitFromSnapshotsOrAnExportedFileContinuesExactly() throws Exception {
    AvroFiles.Cli fromSnapshots = run("in-rest/part.avro", "warm-snapshot", "--set",
        "train.init={snapshot: " + tmp.resolve("first") + ", model: alpha}");
    assertThat(fromSnapshots.out()).contains("init:   from snapshot of model 'alpha' version 300 in " + tmp.resolve("first"),
        "optimizer state restarts");
    assertThat(snapshots("warm-snapshot")).isEqualTo(whole.subList(3, 6));

    Path npz = tmp.resolve("alpha.npz");
    assertThat(AvroFiles.cli("export", tmp.resolve("first").toString(), "--model", "alpha", "--version", "300",
        "-o", npz.toString()).code()).isZero();
    run("in-rest/part.avro", "warm-file", "--set", "train.init.file=" + npz);
    assertThat(snapshots("warm-file")).isEqualTo(whole.subList(3, 6));
  }

  @Test
  void aCreatedSavepointStartsTheJobFromThoseParameters() throws Exception {
    Path sp = tmp.resolve("sp");
    AvroFiles.Cli created = AvroFiles.cli("savepoint", "create", "--spec", SPEC, "--from",
        tmp.resolve("first").toString(), "-o", sp.toString());
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).contains("wrote a savepoint of alpha version 300", "optimizer state: restarts",
        "streamgrad run " + SPEC + " --from-savepoint " + sp);

    AvroFiles.Cli listed = AvroFiles.cli("export", "--savepoint", sp.toString(), "--list");
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).startsWith("alpha: version 300, records 300, loss NaN")
        .contains("parameters bias 1 value, filter 9 values, optimizer state none");
    Path npz = tmp.resolve("from-savepoint.npz");
    AvroFiles.Cli exported = AvroFiles.cli("export", "--savepoint", sp.toString(), "--spec", SPEC, "--model",
        "alpha", "-o", npz.toString());
    assertThat(exported.code()).as(exported.err()).isZero();
    TensorFile file = NpzFiles.read(npz, Long.MAX_VALUE);
    assertThat(file.tensors()).containsOnlyKeys("filter", "bias");
    assertThat(file.tensors().get("filter").getShape()).containsExactly(3, 3);
    FilterSnapshot at300 = whole.get(2);
    assertThat(file.tensors().get("filter").getData()).isEqualTo(at300.getParameters().get(0).getTensor().getData());

    // from an export of every model (names prefixed MODEL/): each model of the file
    Path all = tmp.resolve("all.safetensors");
    assertThat(AvroFiles.cli("export", tmp.resolve("first").toString(), "-o", all.toString()).code()).isZero();
    AvroFiles.Cli fromFile = AvroFiles.cli("savepoint", "create", "--spec", SPEC, "--from", all.toString(), "-o",
        tmp.resolve("sp-file").toString());
    assertThat(fromFile.code()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).contains("wrote a savepoint of alpha version 300 (max parallelism 128)");

    AvroFiles.Cli resumed = run("in-rest/part.avro", "resumed", "--from-savepoint", sp.toString());
    assertThat(resumed.out()).contains("restoring from: " + sp);
    assertThat(snapshots("resumed")).isEqualTo(whole.subList(3, 6));
  }

  @Test
  void warmStartProblemsAreSpecErrorsWithTheKeyPath() {
    AvroFiles.Cli missing = AvroFiles.cli("run", SPEC, "--set", "train.init.file=" + tmp.resolve("none.npz"));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith(SPEC + ": train.init.file: ").contains("none.npz: no such file");

    AvroFiles.Cli wrongShape = AvroFiles.cli("run", SPEC, "--set", "layer.kernel=[5, 5]", "--set",
        "train.init={snapshot: " + tmp.resolve("first") + "}");
    assertThat(wrongShape.code()).isEqualTo(2);
    assertThat(wrongShape.err()).startsWith(SPEC + ": train.init.snapshot: ")
        .contains("filter has shape [3, 3] but the layer's is [5, 5]");

    AvroFiles.Cli two = AvroFiles.cli("run", SPEC, "--set", "train.init={file: a.npz, savepoint: sp}");
    assertThat(two.code()).isEqualTo(2);
    assertThat(two.err()).contains("train.init.savepoint: give only one of snapshot, topic, file and savepoint");

    AvroFiles.Cli noShapes = AvroFiles.cli("export", "--savepoint", tmp.toString(), "-o", "x.npz");
    assertThat(noShapes.code()).isEqualTo(2);
    assertThat(noShapes.err()).contains("give --spec JOB.yaml");
  }

  private AvroFiles.Cli run(String input, String sink, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", SPEC, "--web-port", "0",
        "--set", "source={type: avro-file, path: " + tmp.resolve(input) + "}",
        "--set", "train.snapshotEvery=100", "--set", "train.clipGradNorm=null", "--set", "train.lossGuard=null",
        "--set", "sink.path=" + tmp.resolve(sink), "--set", "checkpoints=null"));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  private static AvroFiles.Cli cli(String... args) {
    AvroFiles.Cli r = AvroFiles.cli(args);
    assertThat(r.code()).as("exit code; out:%n%s%nerr:%n%s", r.out(), r.err()).isZero();
    return r;
  }

  private List<FilterSnapshot> snapshots(String sink) throws Exception {
    List<FilterSnapshot> out = new ArrayList<>(AvroFiles.read(tmp.resolve(sink), FilterSnapshot.class));
    out.sort(Comparator.comparing(FilterSnapshot::getVersion));
    // a warm-started or bootstrapped model's evaluation windows start afresh, like a new job's
    return out.stream().map(s -> FilterSnapshot.newBuilder(s).setEvaluation(null).build()).toList();
  }

  private static void write(List<GenericRecord> records, Path file) throws Exception {
    Files.createDirectories(file.getParent());
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(records.get(0).getSchema()))) {
      w.create(records.get(0).getSchema(), file.toFile());
      for (GenericRecord r : records) {
        w.append(r);
      }
    }
  }
}
