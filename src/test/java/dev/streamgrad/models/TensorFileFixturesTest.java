package dev.streamgrad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.avro.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The formats against the real libraries (fixtures/models, from src/test/python/gen_tensor_file_fixtures.py):
 * numpy 1.24's {@code np.savez} and {@code np.savez_compressed} files are read, including Fortran-order
 * and big-endian arrays, and its pickles and other dtypes refused; every {@code .npy} entry Java
 * writes is byte for byte numpy's; the safetensors writer's bytes are those of a writer that follows
 * the reference serializer; and the files Java writes are the committed ones that numpy and a
 * spec-following reader checked (java-verdict.json).
 */
class TensorFileFixturesTest {
  private static final long MAX = 1 << 26;
  private static final Path OUT = Path.of("target/tensor-files");

  @Test
  void readsWhatNumpySavezWrites() throws IOException {
    TensorFile read = NpzFiles.read(TensorFileFixtures.DIR.resolve("numpy-savez.npz"), MAX);
    assertThat(TensorFileFixtures.describe(read.tensors()))
        .containsExactlyElementsOf(TensorFileFixtures.describe(TensorFileFixtures.canonical()));
    assertThat(read.metadata()).isEmpty();
  }

  @Test
  void readsWhatNumpySavezCompressedWritesFortranOrderAndBigEndianIncluded() throws IOException {
    Map<String, Tensor> expected = new LinkedHashMap<>(TensorFileFixtures.canonical());
    expected.putAll(TensorFileFixtures.numpyOnly());
    assertThat(TensorFileFixtures.describe(NpzFiles.read(TensorFileFixtures.DIR.resolve("numpy-savez-compressed.npz"),
        MAX).tensors())).containsExactlyElementsOf(TensorFileFixtures.describe(expected));
    assertThat(TensorFileFixtures.describe(NpzFiles.read(TensorFileFixtures.DIR.resolve("numpy-layouts.npz"), MAX)
        .tensors())).containsExactlyElementsOf(TensorFileFixtures.describe(TensorFileFixtures.numpyOnly()));
  }

  @Test
  void refusesNumpysPicklesIntegersAndStructuredArraysWithTheReason() {
    assertThatThrownBy(() -> NpzFiles.read(TensorFileFixtures.DIR.resolve("numpy-object.npz"), MAX))
        .isInstanceOf(TensorFileException.class)
        .hasMessageContaining("numpy-object.npz: entry 'filter.npy'")
        .hasMessageContaining("dtype '|O' is an object array (pickled Python objects)");
    assertThatThrownBy(() -> NpzFiles.read(TensorFileFixtures.DIR.resolve("numpy-int64.npz"), MAX))
        .isInstanceOf(TensorFileException.class)
        .hasMessageContaining("dtype '<i8' is not supported: streamgrad reads float64 ('<f8') and float32 ('<f4')");
    assertThatThrownBy(() -> NpzFiles.read(TensorFileFixtures.DIR.resolve("numpy-structured.npz"), MAX))
        .isInstanceOf(TensorFileException.class)
        .hasMessageContaining("is a structured dtype");
  }

  @Test
  void eachNpyEntryIsByteForByteWhatNumpyWrites() throws IOException {
    try (ZipFile numpy = new ZipFile(TensorFileFixtures.DIR.resolve("numpy-savez.npz").toFile())) {
      int entries = 0;
      for (Map.Entry<String, Tensor> e : TensorFileFixtures.canonical().entrySet()) {
        ZipEntry entry = numpy.getEntry(e.getKey() + ".npy");
        byte[] expected = numpy.getInputStream(entry).readAllBytes();
        assertThat(HexFormat.of().formatHex(Npy.bytes(e.getValue()))).as(e.getKey())
            .isEqualTo(HexFormat.of().formatHex(expected));
        entries++;
      }
      assertThat(entries).isEqualTo(11);
    }
  }

  @Test
  void safetensorsAreByteForByteWhatTheReferenceSerializerWritesAndReadBack() throws IOException {
    Path spec = TensorFileFixtures.DIR.resolve("spec-written.safetensors");
    TensorFile file = new TensorFile(TensorFileFixtures.canonical(), TensorFileFixtures.metadata());
    assertThat(bytes(TensorFileFormat.SAFETENSORS, file)).isEqualTo(Files.readAllBytes(spec));
    TensorFile read = SafetensorsFiles.read(spec, MAX);
    assertThat(read.metadata()).containsExactlyEntriesOf(TensorFileFixtures.metadata());
    assertThat(TensorFileFixtures.describe(read.tensors()))
        .containsExactlyInAnyOrderElementsOf(TensorFileFixtures.describe(TensorFileFixtures.canonical()));
  }

  @Test
  void readsTheJsonFormatAsPythonWritesItFromTolist() throws IOException {
    TensorFile read = JsonTensorFiles.read(TensorFileFixtures.DIR.resolve("python-written.json"), MAX);
    assertThat(read.metadata()).containsExactlyEntriesOf(TensorFileFixtures.metadata());
    assertThat(TensorFileFixtures.describe(read.tensors()))
        .containsExactlyElementsOf(TensorFileFixtures.describe(TensorFileFixtures.canonical()));
  }

  /**
   * What Java writes is the committed java-written.* that numpy ({@code np.load}) and the spec
   * reader checked: same sha256 as in java-verdict.json, and no problems. When the writers change,
   * copy target/tensor-files/java-written.* to fixtures/models and run the script with --check.
   */
  @ParameterizedTest
  @EnumSource(TensorFileFormat.class)
  void writesTheFilesThatNumpyAndTheSpecReaderChecked(TensorFileFormat format) throws Exception {
    TensorFile file = new TensorFile(TensorFileFixtures.canonical(), TensorFileFixtures.metadata());
    Files.createDirectories(OUT);
    Path written = OUT.resolve("java-written" + format.suffix());
    format.write(file, written);
    JsonNode verdict = new ObjectMapper().readTree(TensorFileFixtures.DIR.resolve("java-verdict.json").toFile())
        .get(format.id());
    assertThat(verdict.get("problems")).as("java-verdict.json: %s", verdict).isEmpty();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(written)));
    assertThat(sha).as("%s differs from the file numpy checked: copy it to %s and run"
        + " src/test/python/gen_tensor_file_fixtures.py --check", written, TensorFileFixtures.DIR)
        .isEqualTo(verdict.get("sha256").asText());

    TensorFile read = format.read(written, MAX);
    assertThat(TensorFileFixtures.describe(read.tensors()))
        .containsExactlyInAnyOrderElementsOf(TensorFileFixtures.describe(file.tensors()));
    assertThat(read.metadata()).isEqualTo(format.holdsMetadata() ? file.metadata() : Map.of());
  }

  @ParameterizedTest
  @EnumSource(TensorFileFormat.class)
  void theSameTensorsGiveTheSameBytes(TensorFileFormat format) throws IOException {
    TensorFile file = new TensorFile(TensorFileFixtures.canonical(), TensorFileFixtures.metadata());
    assertThat(bytes(format, file)).isEqualTo(bytes(format, file));
    assertThat(TensorFileFormat.ofFileName("Model" + format.suffix().toUpperCase(java.util.Locale.ROOT)))
        .contains(format);
  }

  static byte[] bytes(TensorFileFormat format, TensorFile file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    format.write(file, out);
    return out.toByteArray();
  }

  static List<String> names(TensorFile f) {
    return new ArrayList<>(f.tensors().keySet());
  }
}
