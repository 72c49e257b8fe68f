/**
 * Validation and conversion of the Avro records of {@code schemas/*.avsc}: tensor payloads decoded
 * to autograd tensors with precise reasons for every defect, and single-object encoding of records
 * for dead-letter payloads.
 */
package dev.streamgrad.records;
