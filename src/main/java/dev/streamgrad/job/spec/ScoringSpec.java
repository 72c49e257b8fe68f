package dev.streamgrad.job.spec;

import dev.streamgrad.flink.LabelJoin;

/**
 * The scoring part of a {@code predict} section: {@code labels} (LabeledTensorRecord, model = the
 * predicted key, same seq), joined within {@code labelTimeout} ({@code maxUnlabelled} waiting per
 * key), each served prediction's loss written to {@code scores} (PredictionScore).
 */
public record ScoringSpec(SourceSpec labels, LabelJoin join, SinkSpec scores) {}
