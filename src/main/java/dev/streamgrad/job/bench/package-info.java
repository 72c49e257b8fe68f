/** The bench: runs job specs as {@code run} does and measures records per second and CPU per stage. */
package dev.streamgrad.job.bench;
