/**
 * The layers of PyTorch's tutorial "Creating extensions using numpy and scipy" on the autograd core
 * and the signal kernels: the deliberately wrong {@link dev.streamgrad.layers.BadFftFunction}, its
 * correct counterpart {@link dev.streamgrad.layers.FftMagnitudeFunction}, and the learnable
 * cross-correlation {@link dev.streamgrad.layers.Conv2dFunction}.
 */
package dev.streamgrad.layers;
