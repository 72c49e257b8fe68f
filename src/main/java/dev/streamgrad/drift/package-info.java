/**
 * Drift detectors on a stream of numbers (a model's loss), as River defines them: Page-Hinkley and
 * ADWIN with River's parameters, defaults and results, each keeping its state as plain arrays
 * ({@link dev.streamgrad.drift.DetectorState}) that keyed Flink state can hold.
 */
package dev.streamgrad.drift;
