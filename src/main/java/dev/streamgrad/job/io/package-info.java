/**
 * Sources and sinks of job specs ({@code generator}, {@code avro-file}, {@code print}), created per
 * type by {@link dev.streamgrad.job.io.Sources} and {@link dev.streamgrad.job.io.Sinks}.
 */
package dev.streamgrad.job.io;
