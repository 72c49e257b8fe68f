package dev.streamgrad.flink;

/**
 * A layer spec that also says how a model's training state starts (a warm start): given the state
 * {@link ModelTrainer#initialState()} made from the layer's initial parameters, it may set what the
 * source of those parameters carries (the optimizer's state, the version and record count).
 */
public interface TrainerSeed {
  /** Completes a new model's state; {@code s.params} already holds the layer's initial parameters. */
  void seed(TrainerState s);
}
