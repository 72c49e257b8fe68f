/**
 * Modules, parameters, losses and state dicts, the counterparts of {@code torch.nn}: a {@link
 * dev.streamgrad.nn.Module} owns named {@link dev.streamgrad.nn.Parameter}s and child modules.
 */
package dev.streamgrad.nn;
