package dev.streamgrad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged and crafted files: every reader answers with a {@link TensorFileException} that says what
 * is wrong (never another exception, an error or an allocation a header asked for), for truncation
 * at every length, random byte changes, and headers written to attack: huge declared sizes,
 * overlapping offsets, lengths past the end, pickles, zip bombs, deep nesting.
 */
class TensorFileAdversarialTest {
  /** 64 MB: far below what the crafted headers declare. */
  private static final long MAX = 1 << 26;

  @TempDir
  Path dir;

  private byte[] valid(TensorFileFormat format) throws IOException {
    return TensorFileFixturesTest.bytes(format, new TensorFile(TensorFileFixtures.canonical(),
        TensorFileFixtures.metadata()));
  }

  private TensorFile read(TensorFileFormat format, byte[] bytes) throws IOException {
    Path f = dir.resolve("file" + format.suffix());
    Files.write(f, bytes);
    return format.read(f, MAX);
  }

  private void assertRejected(TensorFileFormat format, byte[] bytes, String... reasons) {
    assertThatThrownBy(() -> read(format, bytes)).isInstanceOf(TensorFileException.class)
        .satisfies(e -> {
          for (String r : reasons) {
            assertThat(e.getMessage()).contains(r);
          }
        });
  }

  @ParameterizedTest
  @EnumSource(TensorFileFormat.class)
  void everyTruncationIsRejectedWithAReason(TensorFileFormat format) throws IOException {
    byte[] whole = valid(format);
    assertThat(read(format, whole).tensors()).hasSize(11);
    for (int len = 0; len < whole.length; len += len < 600 ? 1 : 53) {
      int n = len;
      assertThatThrownBy(() -> read(format, Arrays.copyOf(whole, n))).as("%s cut to %d bytes", format, n)
          .isInstanceOf(TensorFileException.class).hasMessageContaining("file" + format.suffix());
    }
  }

  @ParameterizedTest
  @EnumSource(TensorFileFormat.class)
  void randomByteChangesReadOrFailWithATensorFileException(TensorFileFormat format) throws IOException {
    byte[] whole = valid(format);
    Random rng = new Random(17 + format.ordinal());
    int rejected = 0;
    for (int trial = 0; trial < 1500; trial++) {
      byte[] b = whole.clone();
      for (int k = 0, changes = 1 + rng.nextInt(4); k < changes; k++) {
        // most changes land in the headers, where the parsing is
        int at = rng.nextInt(4) == 0 ? rng.nextInt(b.length) : rng.nextInt(Math.min(b.length, 700));
        b[at] = (byte) rng.nextInt(256);
      }
      try {
        read(format, b);
      } catch (TensorFileException e) {
        assertThat(e.getMessage()).contains("file" + format.suffix());
        rejected++;
      } catch (Throwable t) {
        fail(format + " trial " + trial + " threw " + t, t);
      }
    }
    assertThat(rejected).isGreaterThan(100);
  }

  // ---- safetensors ----

  private static byte[] safetensors(long declaredLength, String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putLong(declaredLength).put(h).put(data).array();
  }

  private static byte[] safetensors(String header, int dataBytes) {
    return safetensors(header.getBytes(StandardCharsets.UTF_8).length, header, new byte[dataBytes]);
  }

  @Test
  void safetensorsHeadersThatLieAreRejected() {
    TensorFileFormat st = TensorFileFormat.SAFETENSORS;
    assertRejected(st, new byte[5], "fewer than the 8 of the header length");
    assertRejected(st, safetensors(-1L, "{}", new byte[0]), "header length 18446744073709551615 is more than the"
        + " 100000000 bytes");
    assertRejected(st, safetensors(100_000_001L, "{}", new byte[0]), "more than the 100000000 bytes");
    assertRejected(st, safetensors(4096, "{}", new byte[0]), "runs past the end of the file");
    assertRejected(st, safetensors("[]", 0), "not a JSON object");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}x", 8),
        "not valid JSON");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
        + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16), "Duplicate field 'a'");
    // overlapping, a hole, out of order but contiguous (allowed), past the end
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
        + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16), "tensor 'b'",
        "offsets must be contiguous from 0, with no overlap and no hole");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16),
        "previous tensor's data ends at 0");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 4),
        "cover 8 bytes of data but the file has 4", "truncated");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 12),
        "bytes no tensor indexes");
    // sizes that do not match, and that overflow or exceed the limit before anything is allocated
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", 16),
        "needs 24 bytes but its data_offsets [0, 16] hold 16");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
        + "\"data_offsets\":[0,16]}}", 16), "needs more than 2^63 bytes");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1073741824],"
        + "\"data_offsets\":[0,8589934592]}}", 16), "more than one Java array holds");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,"
        + "99999999999999999999]}}", 16), "not an integer from 0 to 2^63-1");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F64\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8),
        "shape has -1");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
        "dtype F16 is not supported: streamgrad reads F64 and F32");
    assertRejected(st, safetensors("{\"a\":{\"dtype\":\"Q9\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
        "dtype Q9 is not a safetensors dtype");
    assertRejected(st, safetensors("{\"a\":{\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "lacks dtype");
    assertRejected(st, safetensors("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__ 'k' is not a string");
    assertRejected(st, safetensors("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0), "tensor 'a'");
    assertRejected(st, safetensors(4, "{\"\u00ff", new byte[0]), "not valid JSON");
  }

  @Test
  void safetensorsAsTheReferenceAcceptsThem() throws IOException {
    // whitespace before and after the object, tensors listed out of offset order, an empty tensor
    TensorFile f = read(TensorFileFormat.SAFETENSORS, safetensors(" \n{\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
        + "\"data_offsets\":[8,12]},\"e\":{\"dtype\":\"F64\",\"shape\":[2,0],\"data_offsets\":[8,8]},"
        + "\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},\"__metadata__\":null}  ", 12));
    assertThat(f.tensors().keySet()).containsExactly("a", "e", "b");
    assertThat(f.tensors().get("e").getShape()).containsExactly(2, 0);
    assertThat(f.metadata()).isEmpty();
  }

  // ---- npz ----

  private static byte[] npy(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
    return b.array();
  }

  private static byte[] zip(boolean deflate, Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        if (!deflate) {
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setCrc(crc.getValue());
        }
        z.putNextEntry(entry);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private void assertNpyRejected(String header, byte[] data, String... reasons) throws IOException {
    assertRejected(TensorFileFormat.NPZ, zip(false, Map.of("w.npy", npy(header, data))), reasons);
  }

  @Test
  void npyHeadersThatLieAreRejected() throws IOException {
    String f8 = "{'descr': '<f8', 'fortran_order': False, 'shape': ";
    assertNpyRejected(f8 + "(1000000000, 1000000000), }", new byte[8], "entry 'w.npy'",
        "needs 8000000000000000000 bytes, more than the 67108864 bytes this reader holds");
    assertNpyRejected(f8 + "(4294967296,), }", new byte[8], "not an integer from 0 to 2147483647");
    assertNpyRejected(f8 + "(99999999999999999999999,), }", new byte[8], "more than 18 digits");
    assertNpyRejected(f8 + "(3,), }", new byte[16], "truncated", "needs 24 bytes of data, the array has 16");
    assertNpyRejected(f8 + "(1,), }", new byte[16], "more bytes after the 8 bytes of data");
    assertNpyRejected("{'descr': '<f8', 'shape': (1,), }", new byte[8], "are not descr, fortran_order and shape");
    assertNpyRejected("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'shape': (1,)}", new byte[8],
        "the key 'shape' twice");
    assertNpyRejected("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", new byte[2],
        "dtype '<f2' is not supported");
    assertNpyRejected("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8], "object array");
    assertNpyRejected("{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,), }", new byte[8],
        "not a Python dict literal");
    assertNpyRejected("{'descr': '<f8', 'fortran_order': False, 'shape': " + "(".repeat(3000) + ")".repeat(3000)
        + ", }", new byte[8], "nested more than 8 deep");
    assertNpyRejected(f8 + "(1,)", new byte[8], "the end where ',' belongs");
    byte[] v4 = npy(f8 + "(1,), }", new byte[8]);
    v4[6] = 4;
    assertRejected(TensorFileFormat.NPZ, zip(false, Map.of("w.npy", v4)), ".npy format version 4.0");
    byte[] longHeader = npy(f8 + "(1,), }", new byte[8]);
    longHeader[6] = 2; // version 2.0 reads a 4-byte length: 0x0800 + the first 2 header bytes
    assertRejected(TensorFileFormat.NPZ, zip(false, Map.of("w.npy", longHeader)), "more than numpy's limit of 10000");
    assertRejected(TensorFileFormat.NPZ, zip(false, Map.of("w.npy", "not numpy".getBytes(StandardCharsets.UTF_8))),
        "no \\x93NUMPY magic");
  }

  @Test
  void npzZipsThatLieAreRejected() throws IOException {
    byte[] one = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
    assertRejected(TensorFileFormat.NPZ, "PK\3\4 not a zip".getBytes(StandardCharsets.UTF_8),
        "not a readable .npz (zip) file");
    assertRejected(TensorFileFormat.NPZ, zip(false, Map.of("notes.txt", one)), "entry 'notes.txt' is not an array");
    assertRejected(TensorFileFormat.NPZ, zip(false, Map.of(".npy", one)), "is not an array");
    // the same name twice: two entries whose names are made equal in the local and central headers
    byte[] two = zip(false, new java.util.LinkedHashMap<>(Map.of("aaaa.npy", one, "bbbb.npy", one)));
    String s = new String(two, StandardCharsets.ISO_8859_1).replace("bbbb.npy", "aaaa.npy");
    assertRejected(TensorFileFormat.NPZ, s.getBytes(StandardCharsets.ISO_8859_1), "appears twice");
    // a damaged stored value: the CRC says so
    byte[] damaged = zip(false, Map.of("w.npy", one));
    int at = indexOf(damaged, one) + one.length - 1;
    damaged[at] ^= 1;
    assertRejected(TensorFileFormat.NPZ, damaged, "CRC-32", "a damaged file");
  }

  @Test
  void aDeflateBombStopsAtTheDeclaredSize() throws IOException {
    // 256 MB of zeros deflate to about 250 KB; the header declares 8 bytes, the limit is 64 MB
    byte[] bomb = new byte[1 << 28];
    byte[] header = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[0]);
    System.arraycopy(header, 0, bomb, 0, header.length);
    assertRejected(TensorFileFormat.NPZ, zip(true, Map.of("w.npy", bomb)), "more bytes after the 8 bytes of data");
    bomb = null;
    byte[] huge = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (33554432,), }", new byte[0]);
    assertRejected(TensorFileFormat.NPZ, zip(true, Map.of("w.npy", Arrays.copyOf(huge, 1 << 20))),
        "needs 268435456 bytes, more than the 67108864 bytes this reader holds");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  // ---- JSON ----

  private void assertJsonRejected(String json, String... reasons) {
    assertRejected(TensorFileFormat.JSON, json.getBytes(StandardCharsets.UTF_8), reasons);
  }

  @Test
  void jsonThatDoesNotMatchItsShapeIsRejected() {
    String t = "{\"tensors\": {\"w\": ";
    assertJsonRejected("[]", "not a JSON object");
    assertJsonRejected("{\"metadata\": {}}", "no \"tensors\" object");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [2, 2], \"data\": [[1, 2], [3]]}}}",
        "data is ragged");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [2, 2], \"data\": [[1, 2], 3]}}}",
        "numbers at depths");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [2, 3], \"data\": [[1, 2], [3, 4]]}}}",
        "nested as shape [2, 2] but shape is [2, 3]");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1000000000, 1000000000], \"data\": [1]}}}",
        "needs more than the");
    assertJsonRejected(t + "{\"dtype\": \"int64\", \"shape\": [1], \"data\": [1]}}}", "dtype int64");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1], \"data\": [\"one\"]}}}",
        "the string \"one\"");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1], \"data\": [true]}}}", "VALUE_TRUE");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1], \"data\": [1], \"data\": [2]}}}",
        "Duplicate field 'data'");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1], \"data\": " + "[".repeat(100_000) + "1"
        + "]".repeat(100_000) + "}}}", "w");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1], \"data\": [1]}}} {}", "more JSON after");
    assertJsonRejected(t + "{\"dtype\": \"float64\", \"shape\": [1]}}}", "lacks data");
  }

  @Test
  void jsonKeepsEveryValueBitForBit() throws IOException {
    double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
        Double.MAX_VALUE, 0.1, 1.0 / 3, 2.2250738585072014E-308, 123456789.123456789};
    ByteBuffer d = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer f = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      d.putDouble(v);
      f.putFloat((float) v);
    }
    TensorFile file = TensorFile.of(Map.of(
        "d", Tensor.newBuilder().setShape(List.of(2, 5)).setDtype(DType.FLOAT64).setData(d.flip()).build(),
        "f", Tensor.newBuilder().setShape(List.of(values.length)).setDtype(DType.FLOAT32).setData(f.flip()).build()));
    TensorFile read = read(TensorFileFormat.JSON, TensorFileFixturesTest.bytes(TensorFileFormat.JSON, file));
    assertThat(TensorFileFixtures.describe(read.tensors())).containsExactlyInAnyOrderElementsOf(
        TensorFileFixtures.describe(file.tensors()));
  }
}
