/** The {@code streamgrad} command line (picocli): run job specs, inspect and generate Avro files, the tutorial walkthrough. */
package dev.streamgrad.cli;
