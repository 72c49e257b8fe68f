/**
 * Builds and runs a streaming job from a job spec: the whole Flink graph in {@link
 * dev.streamgrad.job.JobGraphBuilder}, the embedded MiniCluster run with progress and summary in
 * {@link dev.streamgrad.job.JobRunner}.
 */
package dev.streamgrad.job;
