package dev.streamgrad.flink;

import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * Where the trainer keeps its models, for tools that read or write its state from outside a
 * running job (Flink's State Processor API): the operator uid {@value Uids#TRAINER}, keyed by model
 * name (a {@code String}), one {@link TrainerState} per model under the state name
 * {@code "trainer-state"}, and one event-time timer at {@code Long.MAX_VALUE} per model
 * (the end-of-input flush, registered with the model's first record).
 */
public final class TrainerKeyedState {
  /** The trainer operator's uid. */
  public static final String UID = Uids.TRAINER;
  /** The timer every model has: it fires at end of input. */
  public static final long END_OF_INPUT_TIMER = Long.MAX_VALUE;

  private TrainerKeyedState() {}

  /** The descriptor of the per-model value state, as the trainer declares it. */
  public static ValueStateDescriptor<TrainerState> descriptor() {
    return TrainerFunction.stateDescriptor();
  }
}
