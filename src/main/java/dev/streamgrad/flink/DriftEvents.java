package dev.streamgrad.flink;

import dev.streamgrad.avro.DriftEvent;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The trainer's drift side output ({@code train.drift}): one {@link DriftEvent} each time a model's detector fires. */
public final class DriftEvents {
  /** {@code trainer.getSideOutput(DriftEvents.TAG)}. */
  public static final OutputTag<DriftEvent> TAG = new OutputTag<>("drift-events", new AvroTypeInfo<>(DriftEvent.class));

  private DriftEvents() {}
}
