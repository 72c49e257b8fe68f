/**
 * Kafka for streamgrad's records: Avro single-object encoding (a schema fingerprint in every
 * message, resolved against every known version under {@code schemas/versions}), Flink sources
 * whose undecodable values become dead letters instead of failures, exactly-once sinks keyed by
 * model or key, and plain clients for producing and reading records outside Flink.
 */
package dev.streamgrad.kafka;
