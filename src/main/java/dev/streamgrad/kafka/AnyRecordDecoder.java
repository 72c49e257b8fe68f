package dev.streamgrad.kafka;

import java.io.IOException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes a single-object-encoded value of any known record type into a {@link GenericRecord} of
 * its writer's schema version, for showing a topic's contents whatever it holds.
 */
public final class AnyRecordDecoder {
  private final SchemaVersions versions;
  private final Map<Long, GenericDatumReader<GenericRecord>> readers = new HashMap<>();

  public AnyRecordDecoder(SchemaVersions versions) {
    this.versions = versions;
  }

  /** A decoder for every bundled schema version. */
  public static AnyRecordDecoder bundled() {
    return new AnyRecordDecoder(SchemaVersions.bundled());
  }

  /** Decodes one value, or says precisely why it cannot. */
  public GenericRecord decode(byte[] value) throws UndecodableException {
    long fingerprint = SingleObjectCodec.fingerprint(value, "streamgrad record");
    SchemaVersions.Version writer = versions.version(fingerprint);
    if (writer == null) {
      throw new UndecodableException("unknown writer schema fingerprint "
          + HexFormat.of().toHexDigits(fingerprint) + " (not a known version of any streamgrad record)");
    }
    UndecodableException.checkBinary(writer.schema(), value, SingleObjectCodec.HEADER_LENGTH);
    GenericDatumReader<GenericRecord> reader =
        readers.computeIfAbsent(fingerprint, f -> new GenericDatumReader<>(writer.schema()));
    try {
      return reader.read(null, DecoderFactory.get().binaryDecoder(
          value, SingleObjectCodec.HEADER_LENGTH, value.length - SingleObjectCodec.HEADER_LENGTH, null));
    } catch (IOException | RuntimeException e) {
      throw new UndecodableException(
          "invalid " + writer + " body: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
