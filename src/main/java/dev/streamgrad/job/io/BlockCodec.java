package dev.streamgrad.job.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.avro.file.BZip2Codec;
import org.apache.avro.file.Codec;
import org.apache.avro.file.XZCodec;
import org.apache.avro.file.ZstandardCodec;
import org.xerial.snappy.Snappy;

/**
 * Decompresses the blocks of an Avro container file, by the codec its header names ({@code
 * avro.codec}), never to more than a given size: a damaged or hostile block must not allocate what
 * the heap cannot hold. {@code null}, {@code deflate} (raw deflate, as Avro writes it) and {@code
 * snappy} (the compressed block followed by the big-endian CRC-32 of its uncompressed bytes) are
 * decoded here with the limit enforced while decoding; {@code zstandard}, {@code bzip2} and {@code xz}
 * by Avro's own codecs, the limit checked on their output.
 */
abstract class BlockCodec {
  /** The codec for a header's {@code avro.codec} value (absent means null). */
  static BlockCodec of(String name) throws IOException {
    switch (name == null ? "null" : name) {
      case "null":
        return new BlockCodec() {
          @Override
          ByteBuffer decompress(byte[] block, int length, int limit) {
            return ByteBuffer.wrap(block, 0, length);
          }
        };
      case "deflate":
        return new BlockCodec() {
          private final Inflater inflater = new Inflater(true);

          @Override
          ByteBuffer decompress(byte[] block, int length, int limit) throws IOException {
            return inflate(inflater, block, length, limit);
          }
        };
      case "snappy":
        return new BlockCodec() {
          @Override
          ByteBuffer decompress(byte[] block, int length, int limit) throws IOException {
            return unsnappy(block, length, limit);
          }
        };
      case "zstandard":
      case "bzip2":
      case "xz":
        try {
          return avro(name.equals("zstandard") ? new ZstandardCodec(3, false, false)
              : name.equals("bzip2") ? new BZip2Codec() : new XZCodec(6));
        } catch (LinkageError e) {
          throw new IOException("codec '" + name + "' needs a library that is not on the classpath (" + e + ")");
        }
      default:
        throw new IOException("unsupported codec '" + name + "' (known: null, deflate, snappy, zstandard, bzip2, xz)");
    }
  }

  /**
   * The uncompressed bytes of {@code block[0..length)}, from position 0 to the limit of an
   * array-backed buffer (which may wrap {@code block} itself).
   *
   * @throws IOException when the data is not valid for the codec or decompresses to more than {@code limit}
   */
  abstract ByteBuffer decompress(byte[] block, int length, int limit) throws IOException;

  /**
   * Raw deflate, ignoring what follows the end of the deflate stream, as Avro's Java codec does:
   * Python's {@code avro} leaves three bytes of zlib's checksum there.
   */
  private static ByteBuffer inflate(Inflater inflater, byte[] block, int length, int limit) throws IOException {
    inflater.reset();
    inflater.setInput(block, 0, length);
    byte[] out = new byte[Math.min(limit, Math.max(1024, length * 4))];
    int n = 0;
    try {
      while (!inflater.finished()) {
        if (n == out.length) {
          if (out.length >= limit) {
            throw new IOException("deflate block inflates to more than " + limit + " bytes (the block limit)");
          }
          out = java.util.Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
        }
        int r = inflater.inflate(out, n, out.length - n);
        if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IOException("deflate data ends early (" + n + " bytes inflated)");
        }
        n += r;
      }
    } catch (DataFormatException e) {
      throw new IOException("invalid deflate data: " + e.getMessage(), e);
    }
    return ByteBuffer.wrap(out, 0, n);
  }

  private static ByteBuffer unsnappy(byte[] block, int length, int limit) throws IOException {
    if (length < 4) {
      throw new IOException("snappy block of " + length + " bytes has no CRC-32");
    }
    int size;
    try {
      size = Snappy.uncompressedLength(block, 0, length - 4);
    } catch (IOException e) {
      throw new IOException("invalid snappy data: " + e.getMessage(), e);
    }
    if (size < 0 || size > limit) {
      throw new IOException("snappy block says it holds " + size + " bytes, more than the block limit " + limit);
    }
    byte[] out = new byte[size];
    try {
      Snappy.uncompress(block, 0, length - 4, out, 0);
    } catch (IOException e) {
      throw new IOException("invalid snappy data: " + e.getMessage(), e);
    }
    CRC32 crc = new CRC32();
    crc.update(out, 0, size);
    int expected = ByteBuffer.wrap(block, length - 4, 4).getInt();
    if ((int) crc.getValue() != expected) {
      throw new IOException("snappy block's CRC-32 does not match its data");
    }
    return ByteBuffer.wrap(out);
  }

  private static BlockCodec avro(Codec codec) {
    return new BlockCodec() {
      @Override
      ByteBuffer decompress(byte[] block, int length, int limit) throws IOException {
        ByteBuffer out;
        try {
          out = codec.decompress(ByteBuffer.wrap(block, 0, length));
        } catch (RuntimeException e) {
          throw new IOException("invalid " + codec.getName() + " data: " + e, e);
        } catch (LinkageError e) {
          throw new IOException("codec '" + codec.getName() + "' needs a library that is not on the classpath ("
              + e + ")", e);
        }
        if (out.remaining() > limit) {
          throw new IOException(codec.getName() + " block inflates to " + out.remaining() + " bytes, more than the"
              + " block limit " + limit);
        }
        byte[] copy = new byte[out.remaining()];
        out.get(copy);
        return ByteBuffer.wrap(copy);
      }
    };
  }
}
