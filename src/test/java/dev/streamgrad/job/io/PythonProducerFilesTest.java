package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.records.TensorCodec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by Python's {@code avro} library (src/test/python/gen_python_avro_files.py) read by
 * the avro-file source's reader: every record, exactly as written, with the library's default
 * settings and with deflate; and damage to such a file costs only the damaged block.
 */
class PythonProducerFilesTest {
  private static final Path DIR = Path.of("src/test/resources/fixtures/files");

  @TempDir
  File tmp;

  private static void assertSameAsWritten(List<LabeledTensorRecord> got, JsonNode want, int from) throws Exception {
    for (int i = 0; i < got.size(); i++) {
      LabeledTensorRecord r = got.get(i);
      JsonNode w = want.get(from + i);
      assertThat(r.getModel()).isEqualTo(w.get("model").asText());
      assertThat(r.getSeq()).isEqualTo(w.get("seq").asLong());
      assertThat(r.getEventTime().toEpochMilli()).isEqualTo(w.get("eventTimeMillis").asLong());
      assertThat(TensorCodec.decode(r.getInput()).toArray()).containsExactly(flat(w.get("input")));
      assertThat(TensorCodec.decode(r.getTarget()).toArray()).containsExactly(flat(w.get("target")));
    }
  }

  private static double[] flat(JsonNode rows) {
    return java.util.stream.StreamSupport.stream(rows.spliterator(), false)
        .flatMap(row -> java.util.stream.StreamSupport.stream(row.spliterator(), false))
        .mapToDouble(JsonNode::asDouble).toArray();
  }

  private static JsonNode written() throws IOException {
    return new ObjectMapper().readTree(DIR.resolve("python-records.json").toFile());
  }

  @ParameterizedTest
  @ValueSource(strings = {"python-default.avro", "python-deflate.avro"})
  void everyRecordOfAPythonWrittenFileIsReadExactly(String name) throws Exception {
    ContainerFiles.Read r = ContainerFiles.read(DIR.resolve(name).toFile());
    assertThat(r.dead()).isEmpty();
    assertThat(r.records()).hasSize(300);
    assertSameAsWritten(r.records(), written(), 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"python-default.avro", "python-deflate.avro"})
  void damageToAPythonWrittenFileCostsOnlyTheDamagedBlock(String name) throws Exception {
    File f = new File(tmp, name);
    Files.copy(DIR.resolve(name), f.toPath());
    long[] blocks = ContainerReaderTest.blockStarts(f);
    assertThat(blocks.length).as("the fixture has several blocks").isGreaterThan(1);
    // the last block's size (damage inside uncompressed float data cannot be told from data)
    ContainerReaderTest.overwrite(f, blocks[blocks.length - 1] + 1, new byte[] {(byte) 0xfe, (byte) 0xff, 0x7f});
    ContainerFiles.Read r = ContainerFiles.read(f);
    assertThat(r.dead()).hasSize(1);
    assertThat(r.records()).isNotEmpty().hasSizeLessThan(300);
    assertSameAsWritten(r.records(), written(), 0);
  }
}
