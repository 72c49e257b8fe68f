/**
 * Validation and conversion of the Avro records of {@code schemas/*.avsc}: tensor payloads decoded
 * to autograd tensors with precise reasons for every defect, single-object encoding of records for
 * dead-letter payloads, and the Flink serializers of the tensor records' streams ({@link
 * dev.streamgrad.records.RecordTypeInfo}).
 */
package dev.streamgrad.records;
