package dev.streamgrad.job.io;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.flink.DeadLetters;
import dev.streamgrad.flink.OperatorMetrics;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Passes a file source's records on and sends its dead letters (damaged parts of files) to the
 * dead-letter side output, as the Kafka source's decode step does for undecodable values. Chained to
 * the source, so records are not copied or serialised between the two. Its counters count the
 * records passed on ({@code recordsOut}) and the damaged regions ({@code recordsDead}) of ({@code
 * recordsIn}) all that the files yielded.
 */
final class SplitDeadLetters<T extends SpecificRecordBase> extends ProcessFunction<Either<DeadLetter, T>, T> {
  private static final long serialVersionUID = 1L;
  private transient OperatorMetrics metrics;

  @Override
  public void open(OpenContext openContext) {
    metrics = new OperatorMetrics(getRuntimeContext().getMetricGroup(), false);
  }

  @Override
  public void processElement(Either<DeadLetter, T> in, Context ctx, Collector<T> out) {
    metrics.in();
    if (in.isRight()) {
      metrics.out();
      out.collect(in.right());
    } else {
      metrics.dead();
      ctx.output(DeadLetters.TAG, in.left());
    }
  }
}
