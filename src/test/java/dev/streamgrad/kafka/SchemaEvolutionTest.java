package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.DeadLetter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * A value written under an older schema version decodes into today's class, as long as the old
 * version is kept beside the new one: the situation after DeadLetter gained {@code seq} and
 * {@code payload} (fields with defaults), reproduced with the versions in
 * {@code src/test/resources/schema-evolution}.
 */
class SchemaEvolutionTest {

  private static Path evolutionDir() throws URISyntaxException {
    return Path.of(SchemaEvolutionTest.class.getResource("/schema-evolution").toURI());
  }

  private static byte[] writeWithV1(Schema v1) throws Exception {
    GenericRecord old = new GenericData.Record(v1);
    old.put("stage", "decode");
    old.put("reason", "written by an old producer");
    old.put("key", "m7");
    return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();
  }

  @Test
  void olderWriterVersionResolvesToTheCurrentClass() throws Exception {
    SchemaVersions versions = SchemaVersions.fromDirectory(evolutionDir());
    assertThat(versions.versions("DeadLetter")).extracting(SchemaVersions.Version::number).containsExactly(1, 2);
    Schema v1 = versions.versions("DeadLetter").get(0).schema();

    DeadLetter read = SingleObjectCodec.of(DeadLetter.class, versions).decode(writeWithV1(v1));

    assertThat(read.getStage()).isEqualTo("decode");
    assertThat(read.getReason()).isEqualTo("written by an old producer");
    assertThat(read.getKey()).isEqualTo("m7");
    // fields the old version did not have take their defaults
    assertThat(read.getSeq()).isNull();
    assertThat(read.getPayload()).isNull();
  }

  @Test
  void currentWritersStillDecodeBesideOldVersions() throws Exception {
    SchemaVersions versions = SchemaVersions.fromDirectory(evolutionDir());
    SingleObjectCodec<DeadLetter> codec = SingleObjectCodec.of(DeadLetter.class, versions);
    assertThat(codec.decode(codec.encode(Samples.deadLetter()))).isEqualTo(Samples.deadLetter());
  }

  @Test
  void withoutTheOldVersionTheValueIsUndecodableNotMisread() throws Exception {
    Schema v1 = SchemaVersions.fromDirectory(evolutionDir()).versions("DeadLetter").get(0).schema();
    assertThatThrownBy(() -> SingleObjectCodec.of(DeadLetter.class).decode(writeWithV1(v1)))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("unknown writer schema fingerprint")
        .hasMessageContaining("DeadLetter-v1");
  }

  @Test
  void misnamedVersionFilesAreRejected(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    java.nio.file.Files.copy(evolutionDir().resolve("DeadLetter-v1.avsc"), dir.resolve("Prediction-v1.avsc"));
    assertThatThrownBy(() -> SchemaVersions.fromDirectory(dir))
        .hasMessageContaining("named for Prediction but defines dev.streamgrad.avro.DeadLetter");
  }
}
