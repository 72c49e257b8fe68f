/**
 * Learning-rate schedulers equal to {@code torch.optim.lr_scheduler} (PyTorch 1.13) step for step:
 * each computes the new rate from the optimizer's current one in torch's recursive ("chainable")
 * form, and keeps its state as plain numbers ({@link dev.streamgrad.optim.lr.SchedulerState}) for
 * checkpointed operator state.
 */
package dev.streamgrad.optim.lr;
