package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.FftMagnitude;
import dev.streamgrad.records.TensorCodec;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shipped spec in {@code jobs/} runs through the CLI on a MiniCluster (parallelism 2; the CLI
 * takes the {@code flink run} path, as the test cluster is the context environment), with fewer
 * records via {@code --set} and outputs in a temporary folder, and its output is checked.
 */
class JobSpecsITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir
  Path tmp;

  private AvroFiles.Cli run(String spec, String... sets) {
    List<String> args = new ArrayList<>(List.of("run", "jobs/" + spec));
    for (String s : sets) {
      args.add("--set");
      args.add(s);
    }
    AvroFiles.Cli r = AvroFiles.cli(args.toArray(new String[0]));
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
    return r;
  }

  @Test
  void everyShippedSpecIsRunByATest() throws Exception {
    List<String> specs;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of("jobs"))) {
      specs = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted().toList();
    }
    // kafka-train.yaml needs a Kafka broker (docker-compose, docs/cluster.md); KafkaSpecTest checks it
    assertThat(specs).containsExactlyInAnyOrder("conv2d-forward.yaml", "fft-features.yaml", "kafka-train.yaml",
        "serve-and-score.yaml", "train-and-predict.yaml", "train-conv2d.yaml");
  }

  @Test
  void fftFeaturesComputesTheFftMagnitudeOfEveryRecordOfTheSampleFile() throws Exception {
    run("fft-features.yaml", "sink.path=" + tmp.resolve("features"));
    List<TensorRecord> in = AvroFiles.read(Path.of("samples/unlabeled.avro"), TensorRecord.class);
    List<TensorRecord> out = AvroFiles.read(tmp.resolve("features"), TensorRecord.class);
    assertThat(out).hasSameSizeAs(in).hasSize(100);
    Map<String, TensorRecord> byId = new HashMap<>();
    out.forEach(r -> byId.put(r.getKey() + "/" + r.getSeq(), r));
    for (TensorRecord r : in) {
      TensorRecord o = byId.get(r.getKey() + "/" + r.getSeq());
      Tensor expected = new FftMagnitude().forward(TensorCodec.decode(r.getTensor()));
      assertThat(o.getTensor().getShape()).containsExactly(16, 9);
      assertThat(o.getTensor().getDtype()).isEqualTo(r.getTensor().getDtype());
      assertThat(TensorCodec.decode(o.getTensor()).allClose(expected, 1e-6, 1e-5)).isTrue();
    }
    assertThat(AvroFiles.read(tmp.resolve("features-dead-letters"), DeadLetter.class)).isEmpty();
  }

  @Test
  void conv2dForwardAppliesTheGivenFilter() throws Exception {
    String[] sets = {"source.count=300", "sink.path=" + tmp.resolve("edges")};
    run("conv2d-forward.yaml", sets);
    JobSpec spec = JobSpecParser.parse(Path.of("jobs/conv2d-forward.yaml"), List.of(sets));
    GeneratorSpec g = (GeneratorSpec) spec.source();
    SyntheticRecords gen = new SyntheticRecords(g);
    List<TensorRecord> out = AvroFiles.read(tmp.resolve("edges"), TensorRecord.class);
    assertThat(out).hasSize(300);
    Tensor sobel = Tensor.of2d(((Conv2dSpec) spec.layer()).filter());
    for (TensorRecord o : out) {
      long i = o.getSeq() * g.keys().size() + g.keys().indexOf(o.getKey());
      Tensor expected = Correlation.correlate2d(TensorCodec.decode(gen.unlabeled(i).getTensor()), sobel, Mode.VALID);
      assertThat(TensorCodec.decode(o.getTensor()).allClose(expected, 1e-12, 1e-12)).isTrue();
    }
  }

  @Test
  void trainConv2dRecoversTheHiddenFilter() throws Exception {
    String[] sets = {"source.count=4000", "train.optimizer.lr=0.05", "train.snapshotEvery=500",
        "sink.path=" + tmp.resolve("snapshots")};
    run("train-conv2d.yaml", sets);
    GeneratorSpec g = (GeneratorSpec) JobSpecParser.parse(Path.of("jobs/train-conv2d.yaml"), List.of(sets)).source();
    List<FilterSnapshot> snaps = AvroFiles.read(tmp.resolve("snapshots"), FilterSnapshot.class);
    for (String model : g.keys()) {
      long[] versions = snaps.stream().filter(s -> s.getModel().equals(model))
          .mapToLong(FilterSnapshot::getVersion).sorted().toArray();
      assertThat(versions).as(model).containsExactly(500, 1000, 1500, 2000);
      FilterSnapshot last = snaps.stream().filter(s -> s.getModel().equals(model) && s.getVersion() == 2000)
          .findFirst().orElseThrow();
      double[] learned = TensorCodec.decode(last.getFilter()).buffer();
      double[] truth = Arrays.stream(g.trueFilter()).flatMapToDouble(Arrays::stream).toArray();
      for (int k = 0; k < truth.length; k++) {
        assertThat(learned[k]).isCloseTo(truth[k], org.assertj.core.data.Offset.offset(2e-3));
      }
      assertThat(last.getBias()).isCloseTo(g.trueBias(), org.assertj.core.data.Offset.offset(2e-3));
      assertThat(last.getRecords()).isEqualTo(2000);
    }
  }

  @Test
  void trainConv2dWithEvaluationDriftAndScheduleWritesDriftEventsBesideTheSnapshots() throws Exception {
    // Page-Hinkley's default mode (both) fires while the loss falls as the model learns
    String[] sets = {"source.count=3000", "train.snapshotEvery=250", "train.drift.detector=page-hinkley",
        "train.drift.reaction=reset-optimizer", "train.lrSchedule.type=step", "train.lrSchedule.stepSize=400",
        "train.evaluation.holdoutEvery=10", "train.evaluation.window=200", "sink.path=" + tmp.resolve("snapshots")};
    run("train-conv2d.yaml", sets);
    List<FilterSnapshot> snaps = AvroFiles.read(tmp.resolve("snapshots"), FilterSnapshot.class);
    assertThat(snaps).isNotEmpty().allSatisfy(s -> {
      assertThat(s.getEvaluation()).isNotNull();
      assertThat(s.getEvaluation().getPrequentialRecords()).isBetween(1L, 200L);
      assertThat(s.getEvaluation().getPrequentialLoss()).isFinite();
    });
    FilterSnapshot last = snaps.stream().filter(s -> s.getModel().equals("alpha"))
        .max(java.util.Comparator.comparingLong(FilterSnapshot::getVersion)).orElseThrow();
    assertThat(last.getRecords()).as("1500 records of alpha, one in 10 held out").isEqualTo(1350);
    assertThat(last.getEvaluation().getHeldOut()).isEqualTo(150);
    List<DriftEvent> events = AvroFiles.read(tmp.resolve("snapshots-drift-events"), DriftEvent.class);
    List<DriftEvent> inSnapshots = new ArrayList<>();
    snaps.forEach(s -> inSnapshots.addAll(s.getEvaluation().getDriftEvents()));
    assertThat(events).isNotEmpty().containsExactlyInAnyOrderElementsOf(inSnapshots)
        .allMatch(e -> e.getDetector().equals("page-hinkley") && e.getReaction().equals("reset-optimizer"));
  }

  @Test
  void trainAndPredictServesEveryRecordWithTheNewestSnapshotOfItsModel() throws Exception {
    String[] sets = {"source.count=6000", "source.rate=null", "predict.source.count=400",
        "predict.source.rate=2000", "sink.path=" + tmp.resolve("snapshots"),
        "predict.sink.path=" + tmp.resolve("predictions"), "deadLetters.path=" + tmp.resolve("dead"),
        "checkpoints.dir=" + tmp.resolve("cp"), "checkpoints.interval=500ms"};
    run("train-and-predict.yaml", sets);
    JobSpec spec = JobSpecParser.parse(Path.of("jobs/train-and-predict.yaml"), List.of(sets));
    GeneratorSpec pg = (GeneratorSpec) spec.predict().source();
    SyntheticRecords gen = new SyntheticRecords(pg);
    Map<String, FilterSnapshot> snaps = new HashMap<>();
    for (FilterSnapshot s : AvroFiles.read(tmp.resolve("snapshots"), FilterSnapshot.class)) {
      snaps.put(s.getModel() + "@" + s.getVersion(), s);
    }
    assertThat(snaps).containsKeys("alpha@2000", "alpha@3000", "beta@2000", "beta@3000");
    List<Prediction> preds = AvroFiles.read(tmp.resolve("predictions"), Prediction.class);
    assertThat(preds).hasSize(400);
    for (Prediction p : preds) {
      assertThat(p.getModel()).isEqualTo(p.getKey());
      FilterSnapshot used = snaps.get(p.getModel() + "@" + p.getModelVersion());
      assertThat(used).as("snapshot %s@%s", p.getModel(), p.getModelVersion()).isNotNull();
      long i = p.getSeq() * pg.keys().size() + pg.keys().indexOf(p.getKey());
      Tensor expected = Correlation.correlate2d(TensorCodec.decode(gen.unlabeled(i).getTensor()),
          TensorCodec.decode(used.getFilter()), Mode.VALID).add(used.getBias());
      assertThat(TensorCodec.decode(p.getOutput()).allClose(expected, 1e-9, 1e-9)).isTrue();
    }
    assertThat(AvroFiles.read(tmp.resolve("dead"), DeadLetter.class)).isEmpty();
  }

  @Test
  void serveAndScoreScoresEveryServedPredictionAgainstItsLabel() throws Exception {
    String[] sets = {"source.count=6000", "source.rate=null", "predict.source.count=400",
        "predict.source.rate=2000", "predict.labels.count=400", "predict.labels.rate=2000",
        "sink.path=" + tmp.resolve("snapshots"), "predict.sink.path=" + tmp.resolve("predictions"),
        "predict.scores.path=" + tmp.resolve("scores"), "deadLetters.path=" + tmp.resolve("dead"),
        "checkpoints.dir=" + tmp.resolve("cp"), "checkpoints.interval=500ms"};
    run("serve-and-score.yaml", sets);
    JobSpec spec = JobSpecParser.parse(Path.of("jobs/serve-and-score.yaml"), List.of(sets));
    GeneratorSpec lg = (GeneratorSpec) spec.predict().scoring().labels();
    SyntheticRecords labels = new SyntheticRecords(lg);
    Map<String, FilterSnapshot> snaps = new HashMap<>();
    for (FilterSnapshot s : AvroFiles.read(tmp.resolve("snapshots"), FilterSnapshot.class)) {
      snaps.put(s.getModel() + "@" + s.getVersion(), s);
    }
    Map<String, Prediction> preds = new HashMap<>();
    for (Prediction p : AvroFiles.read(tmp.resolve("predictions"), Prediction.class)) {
      FilterSnapshot used = snaps.get(p.getModel() + "@" + p.getModelVersion());
      assertThat(p.getEventTime().toEpochMilli() - used.getEventTime().toEpochMilli())
          .as("age of the model serving %s#%d", p.getKey(), p.getSeq()).isLessThanOrEqualTo(1_000);
      preds.put(p.getKey() + "#" + p.getSeq(), p);
    }
    assertThat(preds).hasSize(400);
    List<PredictionScore> scores = AvroFiles.read(tmp.resolve("scores"), PredictionScore.class);
    assertThat(scores).hasSize(400);
    for (PredictionScore s : scores) {
      Prediction p = preds.get(s.getKey() + "#" + s.getSeq());
      assertThat(s.getModelVersion()).isEqualTo(p.getModelVersion());
      assertThat(s.getLabelDelayMs()).isZero(); // the generators give record i the same event time
      long i = s.getSeq() * lg.keys().size() + lg.keys().indexOf(s.getKey());
      Tensor target = TensorCodec.decode(labels.labeled(i).getTarget());
      double mse = TensorCodec.decode(p.getOutput()).sub(target).pow(2).mean().item();
      assertThat(s.getLoss()).isCloseTo(mse, org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(AvroFiles.read(tmp.resolve("dead"), DeadLetter.class)).isEmpty();
  }
}
