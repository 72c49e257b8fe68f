/**
 * The trainer's models in Flink savepoints and retained checkpoints, read and written offline with
 * Flink's State Processor API: which models a savepoint holds and their state, and new savepoints
 * that start a job from given parameters.
 */
package dev.streamgrad.modelstate;
