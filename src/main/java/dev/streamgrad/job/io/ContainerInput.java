package dev.streamgrad.job.io;

import java.io.EOFException;
import java.io.IOException;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A buffered reader over a file's stream that knows its byte position: what {@link ContainerReader}
 * needs to read Avro's container layout (variable-length longs, byte runs, sync markers) and to say
 * where in the file something was found. Reads never allocate more than asked for.
 */
final class ContainerInput {
  private static final int BUFFER = 1 << 16;

  private final FSDataInputStream in;
  private final long fileLength;
  private final byte[] buf = new byte[BUFFER];
  private int start;
  private int end;
  /** File position of {@code buf[0]}. */
  private long bufPos;

  ContainerInput(FSDataInputStream in, long position, long fileLength) throws IOException {
    this.in = in;
    this.fileLength = fileLength;
    this.bufPos = position;
    if (in.getPos() != position) {
      in.seek(position);
    }
  }

  long position() {
    return bufPos + start;
  }

  long fileLength() {
    return fileLength;
  }

  long remaining() {
    return fileLength - position();
  }

  void seek(long position) throws IOException {
    if (position >= bufPos && position <= bufPos + end) {
      start = (int) (position - bufPos);
      return;
    }
    in.seek(position);
    bufPos = position;
    start = 0;
    end = 0;
  }

  /** Whether the stream is at its end. */
  boolean atEnd() throws IOException {
    return start == end && !fill();
  }

  int readByte() throws IOException {
    if (start == end && !fill()) {
      throw new EOFException("end of file at offset " + position());
    }
    return buf[start++] & 0xff;
  }

  /** An Avro {@code long}: zig-zag variable-length, at most 10 bytes. */
  long readLong() throws IOException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("variable-length integer longer than 10 bytes at offset " + (position() - 10));
  }

  void readFully(byte[] to, int off, int len) throws IOException {
    while (len > 0) {
      if (start == end) {
        if (len >= BUFFER) {
          // a large run goes straight into its array
          int r = in.read(to, off, len);
          if (r < 0) {
            throw new EOFException("end of file at offset " + position() + ", " + len + " bytes short");
          }
          bufPos += end + r;
          start = 0;
          end = 0;
          off += r;
          len -= r;
          continue;
        }
        if (!fill()) {
          throw new EOFException("end of file at offset " + position() + ", " + len + " bytes short");
        }
      }
      int n = Math.min(len, end - start);
      System.arraycopy(buf, start, to, off, n);
      start += n;
      off += n;
      len -= n;
    }
  }

  /**
   * Moves to just past the next occurrence of {@code marker} at or after the current position.
   *
   * @return whether it was found (otherwise the position is the end of the file)
   */
  boolean skipPast(byte[] marker) throws IOException {
    int m = marker.length;
    byte[] ring = new byte[m];
    long seen = 0;
    while (true) {
      if (start == end && !fill()) {
        return false;
      }
      byte b = buf[start++];
      ring[(int) (seen % m)] = b;
      seen++;
      if (seen >= m && b == marker[m - 1] && matches(ring, seen, marker)) {
        return true;
      }
    }
  }

  private static boolean matches(byte[] ring, long seen, byte[] marker) {
    int m = marker.length;
    for (int k = 0; k < m; k++) {
      if (ring[(int) ((seen + k) % m)] != marker[k]) {
        return false;
      }
    }
    return true;
  }

  /** Reads up to {@code n} bytes from {@code position} (for a dead letter's payload); keeps the position. */
  byte[] peek(long position, int n) throws IOException {
    long here = position();
    seek(position);
    byte[] out = new byte[(int) Math.max(0, Math.min(n, fileLength - position))];
    try {
      readFully(out, 0, out.length);
    } catch (EOFException e) {
      out = new byte[0];
    }
    seek(here);
    return out;
  }

  private boolean fill() throws IOException {
    if (start < end) {
      return true;
    }
    bufPos += end;
    start = 0;
    end = 0;
    int r = in.read(buf, 0, BUFFER);
    if (r <= 0) {
      return false;
    }
    end = r;
    return true;
  }
}
