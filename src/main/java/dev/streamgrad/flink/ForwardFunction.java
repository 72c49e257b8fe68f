package dev.streamgrad.flink;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.nn.Module;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import dev.streamgrad.records.RecordValidator;
import dev.streamgrad.records.TensorCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Applies the configured layer (any registered type: built-in, chain or extension) to each record's
 * tensor with the same {@code Module} classes the tests use, without building a graph. The output
 * keeps the record's key, seq, event time and dtype. Stateless: the parameters are the layer's
 * configured initial ones, identical on every subtask. A tensor the layer cannot take is a dead
 * letter with the layer's own reason.
 */
final class ForwardFunction extends ProcessFunction<TensorRecord, TensorRecord> {
  private static final long serialVersionUID = 1L;

  private final LayerSpec layer;
  private transient Module module;
  private transient OperatorMetrics metrics;
  /** The largest record this subtask takes: from the heap and how many subtasks share it. */
  private transient RecordLimits limits;

  ForwardFunction(LayerSpec layer) {
    this.layer = layer;
  }

  @Override
  public void open(OpenContext openContext) {
    limits = RecordLimits.forThisJvm(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    module = layer.create();
    metrics = new OperatorMetrics(getRuntimeContext().getMetricGroup(), false);
  }

  @Override
  public void processElement(TensorRecord r, Context ctx, Collector<TensorRecord> out) {
    metrics.in();
    Tensor output;
    try {
      output = apply(RecordValidator.tensorOf(r, limits));
    } catch (InvalidRecordException e) {
      metrics.dead();
      ctx.output(DeadLetters.TAG, DeadLetters.of(Uids.FORWARD, e.reason(), r == null ? null : r.getKey(),
          r == null ? null : r.getSeq(), r));
      return;
    }
    metrics.out();
    out.collect(TensorRecord.newBuilder(r).setTensor(TensorCodec.encode(output, r.getTensor().getDtype())).build());
  }

  private Tensor apply(Tensor input) throws InvalidRecordException {
    Tensor output;
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      output = ModelTrainer.forward(module, input, "tensor");
    }
    double[] v = output.buffer();
    for (int k = 0; k < v.length; k++) {
      if (!Double.isFinite(v[k])) {
        throw new InvalidRecordException("output value " + v[k] + " at flat index " + k + " is not finite");
      }
    }
    return output;
  }
}
