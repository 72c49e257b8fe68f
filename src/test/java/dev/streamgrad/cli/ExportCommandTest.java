package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.models.TensorFile;
import dev.streamgrad.models.TensorFileFormat;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code streamgrad export}: which snapshots it takes, the names and metadata it writes in each
 * format, and its errors (usage: exit code 2; bad or missing snapshots: 1), each one line.
 */
class ExportCommandTest {
  private static final long MAX = 1 << 20;

  @TempDir
  Path dir;
  private Path snapshots;

  private static String[] run(int expectedCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("exit code; stdout: %s; stderr: %s", out, err).isEqualTo(expectedCode);
    return new String[] {out.toString(), err.toString()};
  }

  static FilterSnapshot snapshot(String model, long version) {
    double[] filter = new double[6];
    for (int k = 0; k < filter.length; k++) {
      filter[k] = model.hashCode() % 7 + version + k / 8.0;
    }
    return FilterSnapshot.newBuilder().setModel(model).setVersion(version)
        .setFilter(TensorCodec.encode(Tensor.wrap(filter, 2, 3), DType.FLOAT64)).setBias(version / 4.0)
        .setLoss(version == 0 ? Double.NaN : 1.0 / version).setRecords(10 * version)
        .setEventTime(Instant.ofEpochMilli(1_767_225_600_000L + version)).build();
  }

  @SafeVarargs
  static <T extends SpecificRecordBase> Path write(Path file, T... records) throws IOException {
    Files.createDirectories(file.getParent());
    try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<T>(records[0].getSchema()))) {
      w.create(records[0].getSchema(), file.toFile());
      for (T r : records) {
        w.append(r);
      }
    }
    return file;
  }

  @BeforeEach
  void snapshots() throws IOException {
    snapshots = dir.resolve("snapshots");
    write(snapshots.resolve("sink-run1-0-0.avro"), snapshot("m-a", 1), snapshot("m-b", 1), snapshot("m-a", 2));
    write(snapshots.resolve("sink-run1-1-0.avro"), snapshot("m-a", 3), snapshot("m-b", 2), snapshot("m-a", 0));
  }

  private static double[] values(dev.streamgrad.avro.Tensor t) throws Exception {
    return TensorCodec.decode(t).toArray();
  }

  @Test
  void oneModelsNewestVersionWithTheStateDictsNamesAndItsMetadataBesideTheNpz() throws Exception {
    Path npz = dir.resolve("m-a.npz");
    String out = run(0, "export", snapshots.toString(), "--model", "m-a", "-o", npz.toString())[0];
    assertThat(out).contains("wrote m-a version 3 (2 tensors) to " + npz, "metadata to " + npz + ".json");
    TensorFile f = TensorFileFormat.NPZ.read(npz, MAX);
    assertThat(f.tensors().keySet()).containsExactly("filter", "bias");
    assertThat(f.tensors().get("filter")).isEqualTo(snapshot("m-a", 3).getFilter());
    assertThat(f.tensors().get("bias").getShape()).containsExactly(1, 1);
    assertThat(values(f.tensors().get("bias"))).containsExactly(0.75);
    TensorFile side = TensorFileFormat.JSON.read(dir.resolve("m-a.npz.json"), MAX);
    assertThat(side.tensors()).isEmpty();
    assertThat(side.metadata().keySet()).containsExactly("model", "version", "records", "loss", "eventTime");
    assertThat(side.metadata()).isEqualTo(Map.of("model", "m-a", "version", "3", "records", "30",
        "loss", String.valueOf(1.0 / 3), "eventTime", "2026-01-01T00:00:00.003Z"));
  }

  @Test
  void everyModelWithPrefixedNamesInSafetensorsWithTheMetadataInItsHeader() throws Exception {
    Path st = dir.resolve("all.safetensors");
    run(0, "export", snapshots.resolve("sink-run1-0-0.avro").toString(), snapshots.resolve("sink-run1-1-0.avro")
        .toString(), "--latest", "-o", st.toString());
    TensorFile f = TensorFileFormat.SAFETENSORS.read(st, MAX);
    assertThat(f.tensors().keySet()).containsExactlyInAnyOrder("m-a/filter", "m-a/bias", "m-b/filter", "m-b/bias");
    assertThat(f.tensors().get("m-b/filter")).isEqualTo(snapshot("m-b", 2).getFilter());
    assertThat(f.metadata()).containsEntry("format", "pt").containsEntry("m-a/version", "3")
        .containsEntry("m-b/version", "2").containsEntry("m-b/model", "m-b").containsEntry("m-a/records", "30");
    assertThat(Files.exists(dir.resolve("all.safetensors.json"))).isFalse();
  }

  @Test
  void aChosenVersionAsJsonWithNaNLossAsAString() throws Exception {
    Path json = dir.resolve("v0.json");
    run(0, "export", snapshots.toString(), "--model", "m-a", "--version", "0", "--format", "JSON", "-o",
        json.toString());
    TensorFile f = TensorFileFormat.JSON.read(json, MAX);
    assertThat(values(f.tensors().get("filter"))).containsExactly(values(snapshot("m-a", 0).getFilter()));
    assertThat(f.metadata()).containsEntry("version", "0").containsEntry("loss", "NaN");
    assertThat(Files.readString(json)).contains("\"filter\":{\"dtype\":\"float64\",\"shape\":[2,3],\"data\":[[");
  }

  @Test
  void listsTheChosenSnapshotOfEachModel() {
    String out = run(0, "export", snapshots.toString(), "--list")[0];
    assertThat(out.lines()).containsExactly(
        "m-a: version 3 of 4 snapshots (versions 0 to 3), records 30, loss 0.3333333333333333, event time"
            + " 2026-01-01T00:00:00.003Z, parameters filter [2, 3] float64, bias [1, 1] float64",
        "m-b: version 2 of 2 snapshots (versions 1 to 2), records 20, loss 0.5, event time 2026-01-01T00:00:00.002Z,"
            + " parameters filter [2, 3] float64, bias [1, 1] float64");
  }

  @Test
  void aMissingModelOrVersionFailsWithWhatThereIs() {
    String[] r = run(1, "export", snapshots.toString(), "--model", "m-z", "-o", dir.resolve("x.npz").toString());
    assertThat(r[1]).isEqualTo("export: there are no snapshots of model 'm-z'; there are of 'm-a', 'm-b'\n");
    r = run(1, "export", snapshots.toString(), "--model", "m-b", "--version", "7", "-o", dir.resolve("x.npz")
        .toString());
    assertThat(r[1]).isEqualTo("export: model 'm-b' has no version 7; it has versions 1, 2\n");
    r = run(1, "export", snapshots.toString(), "--version", "3", "-o", dir.resolve("x.npz").toString());
    assertThat(r[1]).contains("model 'm-b' has no version 3");
    assertThat(dir.resolve("x.npz")).doesNotExist();
  }

  @Test
  void usageErrorsExitWithTwo() throws IOException {
    String x = dir.resolve("x.npz").toString();
    assertThat(run(2, "export", snapshots.toString())[1]).contains("give -o FILE (or --list)");
    assertThat(run(2, "export", snapshots.toString(), "-o", dir.resolve("x.bin").toString())[1])
        .contains("give --format npz|safetensors|json: x.bin does not end in .npz, .safetensors or .json");
    assertThat(run(2, "export", snapshots.toString(), "--format", "pickle", "-o", x)[1])
        .contains("--format must be npz, safetensors or json, got 'pickle'");
    assertThat(run(2, "export", snapshots.toString(), "--version", "1", "--latest", "-o", x)[1])
        .contains("mutually exclusive");
    assertThat(run(2, "export", snapshots.toString(), "--version", "-1", "-o", x)[1])
        .contains("--version must be 0 or more, got -1");
    assertThat(run(2, "export", dir.resolve("nope").toString(), "-o", x)[1]).contains("nope: no such file or folder");
    assertThat(run(2, "export", snapshots.toString(), "-o", x, "--version")[1])
        .contains("Missing required parameter for option '--version' (V)");
    assertThat(run(0, "export", "-V")[0]).startsWith("streamgrad 0.1.0");
    assertThat(run(0, "export", "--help")[0]).startsWith("Usage: streamgrad export").contains("--version=V");
    Files.writeString(dir.resolve("x.npz"), "mine");
    assertThat(run(2, "export", snapshots.toString(), "-o", x)[1]).contains("x.npz exists; --overwrite replaces it");
    assertThat(Files.readString(dir.resolve("x.npz"))).isEqualTo("mine");
    run(0, "export", snapshots.toString(), "-o", x, "--overwrite");
    assertThat(TensorFileFormat.NPZ.read(dir.resolve("x.npz"), MAX).tensors()).hasSize(4);
  }

  @Test
  void damagedOrForeignFilesFailTheExportAndWriteNothing() throws IOException {
    Path x = dir.resolve("x.safetensors");
    Path junk = Files.writeString(snapshots.resolve("sink-run1-2-0.avro"), "not avro");
    assertThat(run(1, "export", snapshots.toString(), "-o", x.toString())[1])
        .contains("not a readable Avro container file", "nothing is exported");
    Files.delete(junk);
    Path letters = write(dir.resolve("dead/sink-0.avro"), DeadLetter.newBuilder().setStage("s").setReason("r")
        .build());
    assertThat(run(1, "export", snapshots.toString(), letters.toString(), "-o", x.toString())[1])
        .contains("holds dev.streamgrad.avro.DeadLetter records, not dev.streamgrad.avro.FilterSnapshot");
    assertThat(x).doesNotExist();
  }

  @Test
  void theSameVersionTwiceCountsOnceUnlessItsParametersDiffer() throws IOException {
    Path again = write(dir.resolve("again.avro"), snapshot("m-a", 3));
    run(0, "export", snapshots.toString(), again.toString(), "--model", "m-a", "-o", dir.resolve("a.npz").toString());
    FilterSnapshot other = snapshot("m-a", 3);
    other.setBias(99.0);
    Path differs = write(dir.resolve("differs.avro"), other);
    assertThat(run(1, "export", snapshots.toString(), differs.toString(), "-o", dir.resolve("b.npz").toString())[1])
        .contains("model 'm-a' version 3 appears twice with different parameters");
  }

  @Test
  void aFloat32FilterOfAVersion1SnapshotIsExportedAsFloat64Exactly() throws Exception {
    FilterSnapshot s = snapshot("f", 1);
    s.setFilter(TensorCodec.encode(Tensor.wrap(new double[] {0.1, 0.2}, 1, 2), DType.FLOAT32));
    Path file = write(dir.resolve("f32.avro"), s);
    Path npz = dir.resolve("f.npz");
    run(0, "export", file.toString(), "--model", "f", "-o", npz.toString());
    dev.streamgrad.avro.Tensor filter = TensorFileFormat.NPZ.read(npz, MAX).tensors().get("filter");
    assertThat(filter.getDtype()).isEqualTo(DType.FLOAT64);
    assertThat(values(filter)).containsExactly(0.1f, 0.2f);
    assertThat(List.of(filter.getShape())).containsExactly(List.of(1, 2));
  }

  @Test
  void aChainsStateDictInItsOrderAndTheLayerInTheMetadata() throws Exception {
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("0.filter", Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
    state.put("0.bias", Tensor.of(new double[] {0.5}, 1, 1));
    state.put("1.filter", Tensor.of(new double[] {5, 6}, 1, 2));
    state.put("1.bias", Tensor.of(new double[] {-0.5}, 1, 1));
    FilterSnapshot chain = SnapshotParameters.fill(FilterSnapshot.newBuilder().setModel("c").setVersion(4)
        .setLoss(0.25).setRecords(4).setEventTime(Instant.EPOCH), "sequential", state).build();
    Path file = write(dir.resolve("chain.avro"), chain);
    Path st = dir.resolve("c.safetensors");
    run(0, "export", file.toString(), "-o", st.toString());
    TensorFile f = TensorFileFormat.SAFETENSORS.read(st, MAX);
    assertThat(f.tensors().keySet()).containsExactlyInAnyOrder("c/0.filter", "c/0.bias", "c/1.filter", "c/1.bias");
    assertThat(values(f.tensors().get("c/1.filter"))).containsExactly(5, 6);
    assertThat(f.metadata()).containsEntry("c/layer", "sequential");
    Path json = dir.resolve("c.json");
    run(0, "export", file.toString(), "--model", "c", "-o", json.toString());
    assertThat(TensorFileFormat.JSON.read(json, MAX).tensors().keySet())
        .containsExactly("0.filter", "0.bias", "1.filter", "1.bias");
  }

  @Test
  void aVersion1FileIsReadWithTheNewFieldsDefaults() throws Exception {
    Schema v1;
    try (InputStream in = Files.newInputStream(Path.of("schemas/versions/FilterSnapshot-v1.avsc"))) {
      v1 = new Schema.Parser().parse(in);
    }
    FilterSnapshot s = snapshot("old", 9);
    GenericRecord r = new GenericData.Record(v1);
    for (Schema.Field field : v1.getFields()) {
      Object v = s.get(field.name());
      r.put(field.name(), field.name().equals("eventTime") ? s.getEventTime().toEpochMilli()
          : field.name().equals("filter") ? toGeneric(v1.getField("filter").schema(), s.getFilter()) : v);
    }
    Path file = dir.resolve("v1.avro");
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(v1))) {
      w.create(v1, file.toFile());
      w.append(r);
    }
    Path npz = dir.resolve("old.npz");
    run(0, "export", file.toString(), "--model", "old", "-o", npz.toString());
    TensorFile f = TensorFileFormat.NPZ.read(npz, MAX);
    assertThat(f.tensors().keySet()).containsExactly("filter", "bias");
    assertThat(f.tensors().get("filter")).isEqualTo(s.getFilter());
    assertThat(values(f.tensors().get("bias"))).containsExactly(9 / 4.0);
  }

  private static GenericRecord toGeneric(Schema schema, dev.streamgrad.avro.Tensor t) {
    GenericRecord g = new GenericData.Record(schema);
    g.put("shape", t.getShape());
    g.put("dtype", new GenericData.EnumSymbol(schema.getField("dtype").schema(), t.getDtype().name()));
    g.put("data", t.getData());
    return g;
  }

  @Test
  void aSnapshotWithANonFiniteParameterFailsNamingIt() throws IOException {
    FilterSnapshot s = snapshot("bad", 2);
    s.setBias(Double.NaN);
    Path file = write(dir.resolve("bad.avro"), s);
    assertThat(run(1, "export", file.toString(), "-o", dir.resolve("bad.npz").toString())[1])
        .contains("export: model 'bad' version 2: bias NaN is not finite");
  }

  @Test
  void snapshotsOrASavepointAreNeededAndTheSavepointOptionsGoWithASavepoint() {
    assertThat(run(2, "export", "-o", dir.resolve("x.npz").toString())[1])
        .contains("give SNAPSHOTS (snapshot files or folders) or --savepoint PATH");
    assertThat(run(2, "export", snapshots.toString(), "--flat", "-o", dir.resolve("x.npz").toString())[1])
        .contains("--spec, --set and --flat go with --savepoint");
    assertThat(run(2, "export", snapshots.toString(), "--savepoint", dir.toString(), "--flat", "-o",
        dir.resolve("x.npz").toString())[1]).contains("give SNAPSHOTS or --savepoint PATH, not both");
    assertThat(run(2, "export", "--savepoint", dir.toString(), "-o", dir.resolve("x.npz").toString())[1])
        .contains("a savepoint keeps each parameter's values, not its shape: give --spec JOB.yaml");
    assertThat(run(2, "export", "--savepoint", dir.resolve("none").toString(), "--list")[1])
        .contains("none: no such file or folder");
    assertThat(run(2, "savepoint")[1]).contains("give a subcommand: savepoint create");
    assertThat(run(2, "savepoint", "create", "--spec", "jobs/train-conv2d.yaml", "--from", dir.resolve("none")
        .toString(), "-o", dir.resolve("sp").toString())[1]).contains("none: no such file or folder");
    assertThat(run(2, "savepoint", "create", "--spec", "jobs/conv2d-forward.yaml", "--from", snapshots.toString(),
        "-o", dir.resolve("sp").toString())[1]).contains("has no train section");
  }
}
