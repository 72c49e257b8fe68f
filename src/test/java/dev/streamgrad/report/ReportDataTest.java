package dev.streamgrad.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the report extracts from snapshot files, and how the page carries it (no browser here). */
class ReportDataTest {
  static final double[] TARGET = {0.5, -1.0, 0.25, 2.0, 0.0, -0.5, 1.5, -2.0, 0.75};
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void snapshotsEvaluationBecomesPrequentialHoldoutAndWindowLinesAndDriftMarkers() throws IOException {
    List<FilterSnapshot> snaps = new ArrayList<>();
    for (long v = 1; v <= 20; v++) {
      snaps.add(SnapshotFiles.evaluated(SnapshotFiles.conv2d("alpha", v, TARGET, 0.3), v == 12 || v == 17));
    }
    // an older snapshot (schema v2, no evaluation) of the same model adds to the training loss only
    snaps.add(SnapshotFiles.conv2d("alpha", 0, TARGET, 0.3));
    SnapshotFiles.write(dir, 0, snaps);

    ModelHistory h = SnapshotReader.read(List.of(dir)).models().get(0);

    assertThat(h.series()).extracting(Series::name).containsExactly(ModelHistory.TRAINING_LOSS,
        EvaluationSeries.PREQUENTIAL, EvaluationSeries.HOLDOUT, EvaluationSeries.WINDOW);
    assertThat(h.series().get(0).size()).isEqualTo(21);
    Series preq = h.series().get(1);
    assertThat(preq.size()).isEqualTo(20);
    assertThat(preq.records()).startsWith(10, 20).endsWith(200);
    assertThat(preq.values()[0]).isEqualTo(snaps.get(0).getEvaluation().getPrequentialLoss());
    // windows close every 5 versions: one point per closed window, at its end
    Series window = h.series().get(3);
    assertThat(window.size()).isEqualTo(4);
    long t0 = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    assertThat(window.eventTimes()).containsExactly(t0 + 50, t0 + 100, t0 + 150, t0 + 200);
    assertThat(window.records()).containsExactly(50, 100, 150, 200);
    assertThat(h.events()).extracting(Event::name).containsExactly("drift (adwin)", "drift (adwin)");
    assertThat(h.events()).extracting(Event::records).containsExactly(120L, 170L);
  }

  @Test
  void readsEachModelsSnapshotsInVersionOrderWithLossAndParameters() throws IOException {
    List<FilterSnapshot> a = new ArrayList<>();
    List<FilterSnapshot> b = new ArrayList<>();
    for (long v = 40; v >= 1; v--) { // out of order on purpose: the sink's files need not be sorted
      a.add(SnapshotFiles.conv2d("alpha", v, TARGET, 0.3));
      b.add(SnapshotFiles.conv2d("beta", v * 2, TARGET, -0.3));
    }
    SnapshotFiles.write(dir, 0, a.subList(0, 20));
    SnapshotFiles.write(dir, 1, a.subList(20, 40));
    SnapshotFiles.write(dir, 2, b);
    Files.writeString(dir.resolve(".sink-" + SnapshotFiles.RUN + "-0-1.avro.inprogress"), "not yet");

    SnapshotReader.Result r = SnapshotReader.read(List.of(dir));

    assertThat(r.problems()).isEmpty();
    assertThat(r.files()).isEqualTo(3);
    assertThat(r.snapshots()).isEqualTo(80);
    assertThat(r.models()).extracting(ModelHistory::model).containsExactly("alpha", "beta");
    ModelHistory alpha = r.models().get(0);
    assertThat(alpha.run()).isEqualTo(SnapshotFiles.RUN);
    assertThat(alpha.layer()).isEqualTo("conv2d");
    assertThat(alpha.snapshots()).isEqualTo(40);
    assertThat(alpha.lastVersion()).isEqualTo(40);
    Series loss = alpha.series().get(0);
    assertThat(loss.name()).isEqualTo(ModelHistory.TRAINING_LOSS);
    assertThat(loss.records()).startsWith(10, 20, 30).endsWith(400);
    assertThat(loss.eventTimes()[0]).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + 10);
    assertThat(loss.values()[0]).isEqualTo(2.0 * Math.exp(-1 / 15.0) + 0.01);
    assertThat(alpha.parameters()).extracting(ParameterHistory::name).containsExactly("filter", "bias");
    ParameterHistory filter = alpha.parameters().get(0);
    assertThat(filter.shape()).containsExactly(3, 3);
    assertThat(filter.versions()).hasSize(40).startsWith(1L, 2L).endsWith(40L);
    assertThat(filter.valuesAt(39)[3]).isEqualTo(2.0 * (1 - Math.exp(-40 / 20.0)));
    assertThat(alpha.parameters().get(1).valuesAt(0)).containsExactly(0.3 * (1 - Math.exp(-1 / 20.0)));
  }

  @Test
  void snapshotsFromBeforeTheStateDictReadAsFilterAndBias() throws IOException {
    // version 1 of the schema: no layer, no parameters (as files written before they existed)
    Schema v1 = new Schema.Parser().parse(Files.readString(Path.of("schemas/versions/FilterSnapshot-v1.avsc")));
    FilterSnapshot now = SnapshotFiles.conv2d("old", 7, TARGET, 0.5);
    GenericRecord r = new GenericData.Record(v1);
    for (Schema.Field f : v1.getFields()) {
      Object value = now.get(f.name());
      r.put(f.name(), f.name().equals("filter") ? GenericData.get().deepCopy(f.schema(), value)
          : f.name().equals("eventTime") ? now.getEventTime().toEpochMilli() : value);
    }
    Path file = dir.resolve("sink-" + SnapshotFiles.RUN + "-0-0.avro");
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(v1))) {
      w.create(v1, file.toFile());
      w.append(r);
    }
    ModelHistory old = SnapshotReader.read(List.of(file)).models().get(0);
    assertThat(old.parameters()).extracting(ParameterHistory::name).containsExactly("filter", "bias");
    assertThat(old.parameters().get(1).shape()).containsExactly(1, 1);
    assertThat(old.layer()).isEqualTo("conv2d");
  }

  @Test
  void otherRecordsAreSkippedWithANoteAndDamageIsAProblem() throws IOException {
    Path good = SnapshotFiles.write(dir, 0, List.of(SnapshotFiles.conv2d("alpha", 1, TARGET, 0),
        SnapshotFiles.conv2d("alpha", 2, TARGET, 0)));
    Schema other = Schema.createRecord("DeadLetter", null, "dev.streamgrad.avro", false,
        List.of(new Schema.Field("reason", Schema.create(Schema.Type.STRING))));
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<>(other))) {
      w.create(other, dir.resolve("dead-letter-sink-" + SnapshotFiles.RUN + "-0-0.avro").toFile());
      GenericRecord d = new GenericData.Record(other);
      d.put("reason", "x");
      w.append(d);
    }
    SnapshotReader.Result r = SnapshotReader.read(List.of(dir));
    assertThat(r.notes()).singleElement().asString().contains("not filter snapshots (DeadLetter), skipped");
    assertThat(r.problems()).isEmpty();

    byte[] bytes = Files.readAllBytes(good);
    for (int i = bytes.length - 40; i < bytes.length - 20; i++) {
      bytes[i] = (byte) 0xff;
    }
    Files.write(good, bytes);
    assertThat(SnapshotReader.read(List.of(good)).problems()).isNotEmpty();
    assertThatThrownBy(() -> SnapshotReader.read(List.of(dir.resolve("missing")))).isInstanceOf(
        java.nio.file.NoSuchFileException.class);
  }

  @Test
  void theHiddenFilterComesFromALabeledGeneratorAndMeetsTheParameterNamedFilter() {
    double[][] f = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    GeneratorSpec g = new GeneratorSpec(100, 0, List.of("a"), new int[] {10, 10}, 1, 0.01, DType.FLOAT64, f, 0.5);
    HiddenFilter hidden = HiddenFilter.of(g).orElseThrow();
    assertThat(hidden.filter()).isDeepEqualTo(f);
    assertThat(hidden.bias()).isEqualTo(0.5);
    assertThat(HiddenFilter.of(new GeneratorSpec(100, 0, List.of("a"), new int[] {10, 10}, 1, 0, DType.FLOAT64, null, 0)))
        .isEmpty();
    assertThat(HiddenFilter.of("not a generator")).isEmpty();

    ModelHistory m = ModelHistory.of("alpha", null, List.of(SnapshotFiles.conv2d("alpha", 3, TARGET, 0)), new ArrayList<>());
    assertThat(m.filterLike(hidden).name()).isEqualTo("filter");
    assertThat(m.filterLike(new HiddenFilter(new double[][] {{1, 2}, {3, 4}}, 0))).isNull();
  }

  @Test
  void thePagesDataCarriesEverySeriesEventParameterAndTheComparison() throws IOException {
    List<FilterSnapshot> s = new ArrayList<>();
    for (long v = 1; v <= 30; v++) {
      s.add(SnapshotFiles.conv2d("alpha", v, TARGET, 0.3));
    }
    ModelHistory m = ModelHistory.of("alpha", SnapshotFiles.RUN, s, new ArrayList<>());
    // the extension points the prequential loss and drift detection will use
    m.addSeries(new Series("prequential loss", new long[] {10, 20}, new long[] {5, 6}, new double[] {1.5, Double.NaN}));
    m.addEvent(new Event("drift (ADWIN)", 150, 1234));
    assertThatThrownBy(() -> m.addSeries(new Series(ModelHistory.TRAINING_LOSS, new long[0], new long[0], new double[0])))
        .hasMessageContaining("already has a series named 'training loss'");
    assertThatThrownBy(() -> new Series("x", new long[1], new long[2], new double[1])).hasMessageContaining("each point");
    HiddenFilter hidden = new HiddenFilter(new double[][] {{0.5, -1, 0.25}, {2, 0, -0.5}, {1.5, -2, 0.75}}, 0.3);

    JsonNode page = JSON.readTree(HtmlReport.dataJson(List.of(m), Optional.of(hidden)));
    JsonNode model = page.get("models").get(0);
    assertThat(model.get("model").asText()).isEqualTo("alpha");
    assertThat(model.get("meta").asText()).contains(SnapshotFiles.RUN, "conv2d", "30 snapshots", "newest version 30");
    assertThat(model.get("series")).hasSize(2);
    assertThat(model.get("series").get(0).get("points")).hasSize(30);
    assertThat(model.get("series").get(0).get("points").get(0).get(0).asLong()).isEqualTo(10);
    assertThat(model.get("series").get(1).get("points").get(1).get(2).isNull()).as("NaN is a gap").isTrue();
    assertThat(model.get("events").get(0).get("name").asText()).isEqualTo("drift (ADWIN)");
    assertThat(model.get("parameters")).hasSize(2);
    JsonNode filter = model.get("parameters").get(0);
    assertThat(filter.get("versions")).hasSize(30);
    assertThat(filter.get("values").get(29)).hasSize(9);
    assertThat(filter.get("elements").get(5).asText()).isEqualTo("[1, 2]");
    assertThat(model.get("hidden").get("filter").get(1).get(0).asDouble()).isEqualTo(2.0);
    assertThat(model.get("hidden").get("version").asLong()).isEqualTo(30);
    assertThat(model.get("hidden").get("learned").get(0).get(0).asDouble())
        .isEqualTo(0.5 * (1 - Math.exp(-30 / 20.0)));
    assertThat(HtmlReport.chartCount(List.of(m), Optional.of(hidden))).isEqualTo(2 + 2 + 2);
    assertThat(HtmlReport.chartCount(List.of(m), Optional.empty())).isEqualTo(4);
  }

  @Test
  void longHistoriesAreThinnedKeepingFirstAndLast() {
    assertThat(ReportJson.thin(5, 10)).containsExactly(0, 1, 2, 3, 4);
    List<Integer> t = ReportJson.thin(100_000, 300);
    assertThat(t).hasSize(300).startsWith(0).endsWith(99_999).isSorted();
    assertThat(ReportJson.thin(3, 2)).containsExactly(0, 2);
    assertThat(ReportJson.elementLabel(new int[] {4}, 3)).isEqualTo("[3]");
  }

  @Test
  void modelNamesAndTitlesCannotBreakOutOfThePage() {
    String evil = "</script><img src=x onerror=alert(1)>\u2028&";
    ModelHistory m = ModelHistory.of(evil, null, List.of(SnapshotFiles.conv2d(evil, 1, TARGET, 0)), new ArrayList<>());
    String html = HtmlReport.render("title " + evil, List.of(m), Optional.empty());
    // checks on the page without printing a megabyte of ECharts when one fails
    for (String bad : new String[] {"<img src=x", "</script><", "<script src", "<link", "@import"}) {
      int at = html.indexOf(bad);
      assertThat(at).as("'%s' in the page at %d: %s", bad, at, at < 0 ? "" : html.substring(Math.max(0, at - 80),
          Math.min(html.length(), at + 80))).isEqualTo(-1);
    }
    assertThat(html.contains("title &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")).as("escaped title").isTrue();
    assertThat(html.contains("\\u003c/script\\u003e\\u003cimg")).as("escaped model name in the data").isTrue();
    // one script element per piece: ECharts, the data, the drawing script
    assertThat(html.split("<script", -1)).hasSize(4);
    assertThat(html.split("</script>", -1)).hasSize(4);
  }
}
