package dev.streamgrad.job.io;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.flink.DeadLetters;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Passes a file source's records on and sends its dead letters (damaged parts of files) to the
 * dead-letter side output, as the Kafka source's decode step does for undecodable values. Chained to
 * the source, so records are not copied or serialised between the two.
 */
final class SplitDeadLetters<T extends SpecificRecordBase> extends ProcessFunction<Either<DeadLetter, T>, T> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(Either<DeadLetter, T> in, Context ctx, Collector<T> out) {
    if (in.isRight()) {
      out.collect(in.right());
    } else {
      ctx.output(DeadLetters.TAG, in.left());
    }
  }
}
