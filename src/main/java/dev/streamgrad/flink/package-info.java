/**
 * Flink operators that apply any registered layer to streams of Avro tensor records, train each
 * model's parameters (its state dict) online in keyed state while scoring it on its own stream
 * (prequential and holdout losses, drift detection, learning-rate schedules), serve predictions
 * from each model's newest snapshot (when fresh enough), and score the served predictions against
 * labels that arrive later.
 */
package dev.streamgrad.flink;
