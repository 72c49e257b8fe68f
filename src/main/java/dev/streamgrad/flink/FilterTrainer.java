package dev.streamgrad.flink;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.Layers;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.optim.Optimizer;
import dev.streamgrad.records.InvalidRecordException;
import java.util.HashMap;

/**
 * One model's training step, outside Flink so that it can be tested and benchmarked alone: the
 * tutorial's {@link Conv2d} forward, {@code mse_loss}, backward (no input gradient: the input does
 * not require grad) and the configured {@code torch.optim} step, on a {@link TrainerState}.
 *
 * <p>Mini-batches: the update uses the mean of the records' gradients, which is what PyTorch
 * computes for {@code mse_loss} of a stacked batch whose records have equal shapes. A record whose
 * loss or gradient is not finite, or whose update would make the filter non-finite, is rejected
 * with the state left exactly as it was.
 */
public final class FilterTrainer {
  private final LayerConfig layer;
  private final TrainConfig train;

  public FilterTrainer(LayerConfig layer, TrainConfig train) {
    if (layer.type() != LayerConfig.Type.CONV2D) {
      throw new IllegalArgumentException("the trainer learns a conv2d filter; layer " + layer + " has no parameters");
    }
    this.layer = layer;
    this.train = train;
  }

  public TrainConfig config() {
    return train;
  }

  /** The state before the first record: the configured initial filter and bias, no optimizer state. */
  public TrainerState initialState() {
    Conv2d init = (Conv2d) Layers.create(layer);
    TrainerState s = new TrainerState();
    s.kernelHeight = init.filter().size(0);
    s.kernelWidth = init.filter().size(1);
    s.filter = init.filter().toArray();
    s.bias = init.bias().item();
    return s;
  }

  /**
   * Trains on one example: forward, loss and gradient now, the update when the mini-batch is full.
   *
   * @return whether an optimizer update was applied
   * @throws InvalidRecordException when the example is rejected; {@code s} is then unchanged
   */
  public boolean offer(TrainerState s, Tensor input, Tensor target, long eventTime) throws InvalidRecordException {
    int[] kernel = {s.kernelHeight, s.kernelWidth};
    if (input.dim() != 2) {
      throw new InvalidRecordException("input: conv2d needs a 2-D input, got shape " + Shapes.format(input.shape()));
    }
    if (input.size(0) < kernel[0] || input.size(1) < kernel[1]) {
      throw new InvalidRecordException("input: shape " + Shapes.format(input.shape())
          + " is smaller than the kernel of shape " + Shapes.format(kernel));
    }
    int[] outShape = {input.size(0) - kernel[0] + 1, input.size(1) - kernel[1] + 1};
    if (!Shapes.same(outShape, target.shape())) {
      throw new InvalidRecordException("target: shape " + Shapes.format(target.shape())
          + " does not match the layer's output shape " + Shapes.format(outShape) + " for input "
          + Shapes.format(input.shape()));
    }
    Conv2d module = module(s);
    Tensor loss = MseLoss.mseLoss(module.forward(input), target);
    double lossValue = loss.item();
    if (!Double.isFinite(lossValue)) {
      throw new InvalidRecordException("loss is " + lossValue + "; update skipped, state unchanged");
    }
    LossGuard guard = train.lossGuard();
    String refusal = guard == null ? null : guard.judge(s, lossValue);
    if (refusal != null) {
      // the model is unchanged; only the guard counts the refusal (the caller keeps the state)
      guard.refused(s);
      throw new InvalidRecordException(refusal);
    }
    loss.backward();
    double[] gFilter = module.filter().grad().toArray();
    double gBias = module.bias().grad().item();
    requireFinite("filter gradient", gFilter);
    requireFinite("bias gradient", new double[] {gBias});

    boolean update = s.batchCount + 1 >= train.batchSize();
    if (update) {
      int n = s.batchCount + 1;
      double[] meanFilter = new double[gFilter.length];
      for (int k = 0; k < gFilter.length; k++) {
        meanFilter[k] = (s.batchCount == 0 ? gFilter[k] : s.batchGradFilter[k] + gFilter[k]) / n;
      }
      step(s, module, meanFilter, (s.batchCount == 0 ? gBias : s.batchGradBias + gBias) / n);
    } else if (s.batchCount == 0) {
      s.batchGradFilter = gFilter;
      s.batchGradBias = gBias;
      s.batchCount = 1;
    } else {
      for (int k = 0; k < gFilter.length; k++) {
        s.batchGradFilter[k] += gFilter[k];
      }
      s.batchGradBias += gBias;
      s.batchCount++;
    }
    if (guard != null) {
      guard.accepted(s, lossValue);
    }
    s.records++;
    s.lossSum += lossValue;
    s.lossCount++;
    s.eventTime = eventTime;
    return update;
  }

  /**
   * Applies the pending partial mini-batch, if any (at end of input, like a data loader without
   * {@code drop_last}).
   *
   * @return whether an update was applied
   * @throws InvalidRecordException when the update would make the filter non-finite: the pending
   *     gradients are then discarded and the filter is unchanged
   */
  public boolean flush(TrainerState s) throws InvalidRecordException {
    if (s.batchCount == 0) {
      return false;
    }
    int n = s.batchCount;
    double[] mean = new double[s.batchGradFilter.length];
    for (int k = 0; k < mean.length; k++) {
      mean[k] = s.batchGradFilter[k] / n;
    }
    try {
      step(s, module(s), mean, s.batchGradBias / n);
    } catch (InvalidRecordException e) {
      clearBatch(s);
      throw new InvalidRecordException("partial mini-batch of " + n + " records at end of input: " + e.reason(), e);
    }
    return true;
  }

  /** Whether a snapshot is due after an update: every {@code snapshotEvery} updates. */
  public boolean snapshotDue(TrainerState s) {
    return s.version % train.snapshotEvery() == 0;
  }

  private void step(TrainerState s, Conv2d module, double[] gradFilter, double gradBias) throws InvalidRecordException {
    if (train.clip() != null) {
      // torch.nn.utils.clip_grad_norm_ between backward and step, over both parameters
      double[] bias = {gradBias};
      train.clip().clip(gradFilter, bias);
      gradBias = bias[0];
    }
    module.filter().setGrad(Tensor.wrap(gradFilter, s.kernelHeight, s.kernelWidth));
    module.bias().setGrad(Tensor.full(gradBias, 1, 1));
    Optimizer opt = train.optimizer().create(module.parameters());
    if (!s.optimizer.isEmpty()) {
      opt.loadStateDict(s.optimizer);
    }
    opt.step();
    double[] newFilter = module.filter().toArray();
    double newBias = module.bias().item();
    requireFinite("updated filter", newFilter);
    requireFinite("updated bias", new double[] {newBias});
    s.filter = newFilter;
    s.bias = newBias;
    s.optimizer = new HashMap<>(opt.stateDict());
    s.version++;
    clearBatch(s);
  }

  private static void clearBatch(TrainerState s) {
    s.batchGradFilter = null;
    s.batchGradBias = 0;
    s.batchCount = 0;
  }

  private static Conv2d module(TrainerState s) {
    return new Conv2d(Tensor.wrap(s.filter, s.kernelHeight, s.kernelWidth), Tensor.full(s.bias, 1, 1));
  }

  private static void requireFinite(String what, double[] v) throws InvalidRecordException {
    for (int k = 0; k < v.length; k++) {
      if (!Double.isFinite(v[k])) {
        throw new InvalidRecordException(what + " value " + v[k] + " at flat index " + k
            + " is not finite; update skipped, state unchanged");
      }
    }
  }
}
