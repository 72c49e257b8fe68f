/**
 * Optimizers whose updates equal {@code torch.optim.SGD} and {@code torch.optim.Adam} (PyTorch
 * 1.13's single-tensor implementations) step for step.
 */
package dev.streamgrad.optim;
