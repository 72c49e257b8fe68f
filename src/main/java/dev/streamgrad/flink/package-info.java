/**
 * Flink operators that apply the tutorial's layers to streams of Avro tensor records, train the
 * conv2d filter online in keyed state, and serve predictions from the newest filter.
 */
package dev.streamgrad.flink;
