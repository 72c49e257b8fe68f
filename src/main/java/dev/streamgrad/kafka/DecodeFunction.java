package dev.streamgrad.kafka;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.records.RecordTypeInfo;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Kafka values into records; a value that cannot be decoded goes to the dead-letter side
 * output with its bytes, its Kafka position and the reason, and the job goes on.
 */
public final class DecodeFunction<T extends SpecificRecord> extends ProcessFunction<KafkaPayload, T>
    implements ResultTypeQueryable<T> {
  private static final long serialVersionUID = 1L;

  private final SingleObjectCodec<T> codec;
  private final OutputTag<DeadLetter> deadLetters;
  private final String stage;

  /**
   * @param stage the name dead letters carry as their stage (the decode operator's uid)
   */
  public DecodeFunction(SingleObjectCodec<T> codec, OutputTag<DeadLetter> deadLetters, String stage) {
    this.codec = codec;
    this.deadLetters = deadLetters;
    this.stage = stage;
  }

  @Override
  public void processElement(KafkaPayload in, Context ctx, Collector<T> out) {
    T record;
    try {
      record = codec.decode(in.value);
    } catch (UndecodableException e) {
      ctx.output(deadLetters, DeadLetter.newBuilder()
          .setStage(stage)
          .setReason(in.position() + ": " + e.reason())
          .setKey(in.keyString())
          .setSeq(null)
          .setPayload(in.value == null ? null : ByteBuffer.wrap(in.value))
          .build());
      return;
    }
    out.collect(record);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return RecordTypeInfo.streamType(codec.type());
  }
}
