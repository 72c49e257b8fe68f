package dev.streamgrad.models;

import dev.streamgrad.avro.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npz}: a zip file with one {@code NAME.npy} entry per array ({@link Npy}), what
 * {@code np.savez} (entries stored) and {@code np.savez_compressed} (deflated) write and {@code
 * np.load} reads; {@code np.load(f)[NAME]} is the array. A name may contain {@code /} or {@code .}
 * ({@code model-a/filter}, {@code 1.filter}): the entry is that name plus {@code .npy}.
 *
 * <p>Written entries are stored, as {@code np.savez} writes them, dated 1980-01-01 so that the same
 * arrays give the same bytes. An {@code .npz} holds no metadata. Reading takes stored and deflated
 * entries (zip64 too, which numpy writes), checks each entry's CRC, and refuses an entry that is
 * not an array, a name given twice, and arrays beyond the byte limit before allocating them.
 */
public final class NpzFiles {
  private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);
  private static final String SUFFIX = ".npy";

  private NpzFiles() {}

  /** Writes {@code file}'s tensors as stored {@code .npy} entries in their order; metadata is not written. */
  public static void write(TensorFile file, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
      byte[] npy = Npy.bytes(e.getValue());
      ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
      entry.setMethod(ZipEntry.STORED);
      entry.setTimeLocal(ZIP_EPOCH);
      entry.setSize(npy.length);
      entry.setCompressedSize(npy.length);
      CRC32 crc = new CRC32();
      crc.update(npy);
      entry.setCrc(crc.getValue());
      zip.putNextEntry(entry);
      zip.write(npy);
      zip.closeEntry();
    }
    zip.finish();
  }

  /**
   * Reads every array of the {@code .npz} {@code path}, in the zip's order, as float64 or float32
   * tensors (little-endian, C order), at most {@code maxBytes} data bytes in all.
   */
  public static TensorFile read(Path path, long maxBytes) throws TensorFileException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    long budget = maxBytes;
    try (ZipFile zip = new ZipFile(path.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String what = path + ": entry '" + entry.getName() + "'";
        if (entry.isDirectory() || !entry.getName().endsWith(SUFFIX) || entry.getName().length() == SUFFIX.length()) {
          throw new TensorFileException(what + " is not an array (numpy names each array NAME.npy)");
        }
        String name = entry.getName().substring(0, entry.getName().length() - SUFFIX.length());
        if (tensors.containsKey(name)) {
          throw new TensorFileException(what + " appears twice");
        }
        Tensor t;
        try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry), new CRC32())) {
          t = Npy.read(what, in, budget);
          if (entry.getCrc() >= 0 && in.getChecksum().getValue() != entry.getCrc()) {
            throw new TensorFileException(what + ": CRC-32 " + Long.toHexString(in.getChecksum().getValue())
                + " of its bytes is not the " + Long.toHexString(entry.getCrc()) + " the zip records (a damaged file)");
          }
        } catch (ZipException e) {
          throw new TensorFileException(what + ": " + e.getMessage(), e);
        }
        budget -= t.getData().remaining();
        tensors.put(name, t);
      }
    } catch (TensorFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new TensorFileException(path + ": not a readable .npz (zip) file: " + e.getMessage(), e);
    }
    return TensorFile.of(tensors);
  }
}
