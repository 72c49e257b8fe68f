package dev.streamgrad.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.optim.lr.LrScheduleSpec;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of fixtures/trainer/parity.json (made by src/test/python/gen_trainer_fixtures.py with
 * torch). Cases with a learning-rate schedule or an evaluation ({@code lrSchedule}, {@code evaluation})
 * expect the prequential and holdout figures in each snapshot too.
 */
public final class ParityCase {
  public final String name;
  public final LayerSpec layer;
  public final TrainConfig train;
  public final List<LabeledTensorRecord> records = new ArrayList<>();
  public final List<Expected> snapshots = new ArrayList<>();

  /** A snapshot PyTorch's loop reached. */
  public static final class Expected {
    public final long version;
    public final Tensor filter;
    public final double bias;
    public final double loss;
    public final long records;
    /** The evaluation's figures, when the case states them (NaN and -1 otherwise). */
    public final double prequentialLoss;
    public final long prequentialRecords;
    public final double holdoutLoss;
    public final long holdoutRecords;
    public final long heldOut;

    Expected(JsonNode n) {
      version = n.get("version").asLong();
      filter = Fixtures.tensor(n.get("filter"));
      bias = n.get("bias").asDouble();
      loss = n.get("loss").asDouble();
      records = n.get("records").asLong();
      boolean evaluated = n.has("prequentialLoss");
      prequentialLoss = evaluated ? n.get("prequentialLoss").asDouble() : Double.NaN;
      prequentialRecords = evaluated ? n.get("prequentialRecords").asLong() : -1;
      holdoutLoss = evaluated && !n.get("holdoutLoss").isNull() ? n.get("holdoutLoss").asDouble() : Double.NaN;
      holdoutRecords = evaluated ? n.get("holdoutRecords").asLong() : -1;
      heldOut = evaluated ? n.get("heldOut").asLong() : -1;
    }

    /** Whether the fixture states the evaluation's figures. */
    public boolean evaluated() {
      return prequentialRecords >= 0;
    }
  }

  private ParityCase(JsonNode c) {
    name = c.get("name").asText();
    JsonNode o = c.get("optimizer");
    OptimizerSpec opt = "sgd".equals(o.get("type").asText())
        ? OptimizerSpec.sgd(o.get("lr").asDouble(), o.get("momentum").asDouble(), o.get("dampening").asDouble(),
            o.get("weightDecay").asDouble(), o.get("nesterov").asBoolean())
        : OptimizerSpec.adam(o.get("lr").asDouble(), o.get("betas").get(0).asDouble(),
            o.get("betas").get(1).asDouble(), o.get("eps").asDouble(), o.get("weightDecay").asDouble(),
            o.get("amsgrad").asBoolean());
    JsonNode clip = c.get("clipGradNorm");
    TrainConfig train = new TrainConfig(opt, c.get("batchSize").asInt(), c.get("snapshotEvery").asInt(),
        clip == null || clip.isNull() ? null : new GradClip(clip.get("maxNorm").asDouble(),
            clip.get("normType").isTextual() ? Double.POSITIVE_INFINITY : clip.get("normType").asDouble()),
        null);
    JsonNode schedule = c.get("lrSchedule");
    if (schedule != null && !schedule.isNull()) {
      try {
        train = train.withLrSchedule(LrScheduleSpec.read(new Section("parity.json", "lrSchedule", (ObjectNode) schedule)));
      } catch (SpecException e) {
        throw new IllegalStateException(e);
      }
    }
    JsonNode eval = c.get("evaluation");
    if (eval != null && !eval.isNull()) {
      train = train.withEvaluation(new EvaluationConfig(eval.get("window").asInt(), 60_000,
          eval.get("holdoutEvery").asInt()));
    }
    Tensor init = Fixtures.tensor(c.get("initFilter"));
    double[][] rows = new double[init.size(0)][init.size(1)];
    for (int r = 0; r < rows.length; r++) {
      for (int k = 0; k < rows[r].length; k++) {
        rows[r][k] = init.get(r, k);
      }
    }
    this.train = train;
    layer = Conv2dSpec.explicit(rows, c.get("initBias").asDouble());
    long seq = 0;
    for (JsonNode r : c.get("records")) {
      records.add(TestRecords.labeled(name, seq++, Fixtures.tensor(r.get("input")), Fixtures.tensor(r.get("target"))));
    }
    c.get("snapshots").forEach(s -> snapshots.add(new Expected(s)));
  }

  public static List<ParityCase> all() {
    List<ParityCase> out = new ArrayList<>();
    Fixtures.cases("trainer/parity.json").forEach(c -> out.add(new ParityCase(c)));
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}
