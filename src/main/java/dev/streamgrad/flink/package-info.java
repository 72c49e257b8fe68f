/**
 * Flink operators that apply any registered layer to streams of Avro tensor records, train each
 * model's parameters (its state dict) online in keyed state, and serve predictions from each model's
 * newest snapshot.
 */
package dev.streamgrad.flink;
