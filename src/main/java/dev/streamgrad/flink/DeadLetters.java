package dev.streamgrad.flink;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.records.AvroPayloads;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter side output shared by every operator, and the factory of its records. A dead
 * letter names the stage (the operator's uid), the precise reason, the record's key (or model) and
 * seq when known, and carries the offending record in Avro single-object encoding.
 */
public final class DeadLetters {
  /** Side output of every streamgrad operator: {@code op.getSideOutput(DeadLetters.TAG)}. */
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private DeadLetters() {}

  /**
   * A dead letter for {@code payload} (may be null) rejected by {@code stage}; the payload is
   * single-object encoded, or left out when it cannot be encoded (a required field is null).
   */
  public static DeadLetter of(String stage, String reason, String key, Long seq, SpecificRecord payload) {
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setReason(reason)
        .setKey(key)
        .setSeq(seq)
        .setPayload(AvroPayloads.encodeOrNull(payload))
        .build();
  }

  /** A dead letter for raw bytes that could not be decoded (e.g. a Kafka value). */
  public static DeadLetter ofBytes(String stage, String reason, String key, byte[] bytes) {
    return DeadLetter.newBuilder()
        .setStage(stage)
        .setReason(reason)
        .setKey(key)
        .setSeq(null)
        .setPayload(bytes == null ? null : ByteBuffer.wrap(bytes.clone()))
        .build();
  }
}
