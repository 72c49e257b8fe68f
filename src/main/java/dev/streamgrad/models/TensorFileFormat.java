package dev.streamgrad.models;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/** The tensor file formats, by the name a user gives ({@code --format}) and the file name's ending. */
public enum TensorFileFormat {
  /** numpy's zip of {@code .npy} arrays ({@link NpzFiles}); holds no metadata. */
  NPZ(".npz"),
  /** Hugging Face's safetensors ({@link SafetensorsFiles}). */
  SAFETENSORS(".safetensors"),
  /** Nested JSON lists ({@link JsonTensorFiles}). */
  JSON(".json");

  private final String suffix;

  TensorFileFormat(String suffix) {
    this.suffix = suffix;
  }

  /** The name users give: {@code npz}, {@code safetensors}, {@code json}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The file name ending, with its dot. */
  public String suffix() {
    return suffix;
  }

  /** Whether the format keeps a file's metadata. */
  public boolean holdsMetadata() {
    return this != NPZ;
  }

  /** The format a file name's ending names ({@code .npz}, {@code .safetensors}, {@code .json}), if any. */
  public static Optional<TensorFileFormat> ofFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (TensorFileFormat f : values()) {
      if (lower.endsWith(f.suffix)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The most tensor bytes a reader holds by default: a quarter of this JVM's heap. */
  public static long defaultMaxBytes() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  /** Writes {@code file} to {@code out} in this format. */
  public void write(TensorFile file, OutputStream out) throws IOException {
    switch (this) {
      case NPZ -> NpzFiles.write(file, out);
      case SAFETENSORS -> SafetensorsFiles.write(file, out);
      case JSON -> JsonTensorFiles.write(file, out);
      default -> throw new AssertionError(this);
    }
  }

  /**
   * Writes {@code file} to {@code path} whole or not at all: into a hidden file beside it, then
   * moved over {@code path}, so that a failure never leaves half a file under the name.
   */
  public void write(TensorFile file, Path path) throws IOException {
    Path abs = path.toAbsolutePath();
    // not Files.createTempFile: its file is readable by its owner only, the export is for others too
    Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE))) {
        write(file, out);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads {@code path} in this format, at most {@code maxBytes} tensor bytes in all. */
  public TensorFile read(Path path, long maxBytes) throws TensorFileException {
    return switch (this) {
      case NPZ -> NpzFiles.read(path, maxBytes);
      case SAFETENSORS -> SafetensorsFiles.read(path, maxBytes);
      case JSON -> JsonTensorFiles.read(path, maxBytes);
    };
  }
}
