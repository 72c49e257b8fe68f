package dev.streamgrad.job.spec;

import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import dev.streamgrad.flink.LabelJoin;
import dev.streamgrad.flink.Staleness;
import dev.streamgrad.layers.LayerSpec;
import java.time.Duration;

/** Reads a job spec's {@code predict} section (docs/jobs.md#predict). */
final class PredictSpecs {
  private PredictSpecs() {}

  static PredictSpec read(Section p, LayerSpec layer) throws SpecException {
    p.allow("source", "sink", "model", "maxModelAge", "onStale", "maxWaiting", "labels", "labelTimeout",
        "maxUnlabelled", "scores");
    SourceSpec source = IoSpecs.source(p.requiredSection("source"), false, layer);
    SinkSpec sink = IoSpecs.sink(p.requiredSection("sink"));
    String model = p.string("model", null);
    return new PredictSpec(source, sink, model, staleness(p), scoring(p, layer));
  }

  private static Staleness staleness(Section p) throws SpecException {
    if (!p.has("maxModelAge")) {
      for (String key : new String[] {"onStale", "maxWaiting"}) {
        if (p.has(key)) {
          throw p.error(key, "needs predict.maxModelAge (without it every model serves, however old)");
        }
      }
      return Staleness.UNBOUNDED;
    }
    Duration maxAge = p.duration("maxModelAge", null);
    String onStale = p.choice("onStale", "wait", "wait", "dead-letter");
    int maxWaiting = p.intValue("maxWaiting", Staleness.DEFAULT_MAX_WAITING, 1);
    return new Staleness(maxAge.toMillis(), onStale.equals("wait") ? Staleness.OnStale.WAIT
        : Staleness.OnStale.DEAD_LETTER, maxWaiting);
  }

  private static ScoringSpec scoring(Section p, LayerSpec layer) throws SpecException {
    Section labels = p.section("labels");
    if (labels == null) {
      for (String key : new String[] {"labelTimeout", "maxUnlabelled", "scores"}) {
        if (p.has(key)) {
          throw p.error(key, "needs predict.labels (the stream of labels to score the predictions with)");
        }
      }
      return null;
    }
    SourceSpec source = IoSpecs.source(labels, true, layer);
    if (!p.has("labelTimeout")) {
      throw p.error("labelTimeout", "missing (required with predict.labels: the longest a prediction waits for its"
          + " label, in event time, e.g. 10m)");
    }
    Duration timeout = p.duration("labelTimeout", null);
    int maxWaiting = p.intValue("maxUnlabelled", LabelJoin.DEFAULT_MAX_WAITING, 1);
    SinkSpec scores = IoSpecs.sink(p.requiredSection("scores"));
    return new ScoringSpec(source, new LabelJoin(timeout.toMillis(), maxWaiting), scores);
  }
}
