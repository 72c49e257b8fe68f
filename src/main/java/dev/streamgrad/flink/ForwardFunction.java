package dev.streamgrad.flink;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.Layers;
import dev.streamgrad.nn.Module;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.records.RecordLimits;
import dev.streamgrad.records.RecordValidator;
import dev.streamgrad.records.TensorCodec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Applies the configured layer ({@code fft-magnitude}, {@code bad-fft}, {@code conv2d}) to each
 * record's tensor with the same {@code Module} classes the tests use, without building a graph.
 * The output keeps the record's key, seq, event time and dtype. Stateless: a conv2d filter is the
 * configured one (explicit or drawn from its seed), identical on every subtask.
 */
final class ForwardFunction extends ProcessFunction<TensorRecord, TensorRecord> {
  private static final long serialVersionUID = 1L;

  private final LayerConfig layer;
  private transient Module module;
  private transient OperatorMetrics metrics;
  /** The largest record this subtask takes: from the heap and how many subtasks share it. */
  private transient RecordLimits limits;

  ForwardFunction(LayerConfig layer) {
    this.layer = layer;
  }

  @Override
  public void open(OpenContext openContext) {
    limits = RecordLimits.forThisJvm(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
    module = Layers.create(layer);
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
    if (input.dim() != 2) {
      throw new InvalidRecordException("tensor: " + layer.type().specName() + " needs a 2-D tensor, got shape "
          + Shapes.format(input.shape()));
    }
    if (module instanceof Conv2d) {
      int[] kernel = ((Conv2d) module).filter().shape();
      if (input.size(0) < kernel[0] || input.size(1) < kernel[1]) {
        throw new InvalidRecordException("tensor: input of shape " + Shapes.format(input.shape())
            + " is smaller than the kernel of shape " + Shapes.format(kernel));
      }
    }
    Tensor output;
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      output = module.forward(input);
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
