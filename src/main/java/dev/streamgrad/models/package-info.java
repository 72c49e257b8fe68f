/**
 * Models in and out: a model's parameters, its state dict by name ({@code filter}, {@code bias},
 * {@code 1.filter} in a chain), as numpy {@code .npz}, safetensors and JSON files, each format
 * written and read in one class here, and the choice of which snapshots of which models to export.
 */
package dev.streamgrad.models;
