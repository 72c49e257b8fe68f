/**
 * Optimizers whose updates equal {@code torch.optim.SGD} and {@code torch.optim.Adam} (PyTorch
 * 1.13's single-tensor implementations) step for step; their learning rate can be changed between
 * steps, which the schedulers in {@code dev.streamgrad.optim.lr} do.
 */
package dev.streamgrad.optim;
