/**
 * The layers of PyTorch's tutorial "Creating extensions using numpy and scipy" on the autograd core
 * and the signal kernels (the deliberately wrong {@link dev.streamgrad.layers.BadFftFunction}, its
 * correct counterpart {@link dev.streamgrad.layers.FftMagnitudeFunction}, the learnable
 * cross-correlation {@link dev.streamgrad.layers.Conv2dFunction}), chains of layers, and the
 * registry through which job specs name any layer, built-in or written by a user
 * ({@link dev.streamgrad.layers.LayerType}, found with {@link java.util.ServiceLoader}).
 */
package dev.streamgrad.layers;
