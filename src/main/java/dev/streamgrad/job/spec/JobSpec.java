package dev.streamgrad.job.spec;

import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.layers.LayerSpec;

/**
 * A parsed and validated job spec ({@code jobs/*.yaml}). A spec without {@code train} runs the
 * forward operator from {@code source} to {@code sink}; with {@code train} the trainer reads labeled
 * records and writes filter snapshots to {@code sink}, and {@code predict} (optional) serves a second
 * stream with the newest filters.
 *
 * @param file the spec file as the user named it (used in messages)
 * @param train null for a forward-only job
 * @param predict null unless the spec has a {@code predict} section
 * @param deadLetters where dead letters go, with the default already applied
 * @param deadLettersDefaulted whether {@code deadLetters} was absent from the spec
 * @param checkpoints null when checkpointing is off
 * @param driftEvents where the trainer's drift events go ({@code train.drift.events}, with the
 *     default applied); null without {@code train.drift}
 */
public record JobSpec(String file, String name, int parallelism, SourceSpec source, LayerSpec layer,
    TrainConfig train, PredictSpec predict, SinkSpec sink, SinkSpec deadLetters, boolean deadLettersDefaulted,
    CheckpointSpec checkpoints, SinkSpec driftEvents) {

  /** Whether every source of the job ends by itself. */
  public boolean bounded() {
    return source.bounded() && (predict == null || predict.bounded());
  }
}
