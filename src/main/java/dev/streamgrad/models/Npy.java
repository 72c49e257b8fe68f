package dev.streamgrad.models;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.records.TensorCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One array in numpy's {@code .npy} format (NEP 1, {@code numpy/lib/format.py}): the magic {@code
 * \x93NUMPY}, a version, a header length, a header that is a Python dict literal {@code {'descr':
 * '<f8', 'fortran_order': False, 'shape': (3, 3), }}, then the raw values.
 *
 * <p>Writes version 1.0 headers byte for byte as numpy 1.24's {@code np.save} does (keys sorted,
 * 21 spaces of room to grow the first axis, padded so the data starts at a multiple of 64), with
 * {@code '<f8'} or {@code '<f4'}. Reads versions 1.0, 2.0 and 3.0; float64 and float32 in either
 * byte order and C or Fortran order, returned little-endian in C order. Object arrays (pickles),
 * structured and other dtypes are refused with the reason.
 */
final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  /** numpy's own limit on a header it parses ({@code max_header_size}), against crafted headers. */
  static final int MAX_HEADER_BYTES = 10_000;

  private Npy() {}

  /** The {@code .npy} bytes of {@code t}: a version 1.0 header and its little-endian C-order data. */
  static byte[] bytes(Tensor t) {
    StringBuilder h = new StringBuilder("{'descr': '").append(t.getDtype() == DType.FLOAT64 ? "<f8" : "<f4")
        .append("', 'fortran_order': False, 'shape': (");
    List<Integer> shape = t.getShape();
    for (int d = 0; d < shape.size(); d++) {
      h.append(d > 0 ? ", " : "").append(shape.get(d));
    }
    h.append(shape.size() == 1 ? ",), }" : "), }");
    if (!shape.isEmpty()) {
      h.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape.get(0)).length())));
    }
    int headerLength = h.length() + 1; // the closing newline
    int pad = ALIGN - ((MAGIC.length + 2 + 2 + headerLength) % ALIGN);
    h.append(" ".repeat(pad)).append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer data = t.getData().duplicate();
    byte[] out = new byte[MAGIC.length + 4 + header.length + data.remaining()];
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[6] = 1;
    out[7] = 0;
    out[8] = (byte) header.length;
    out[9] = (byte) (header.length >>> 8);
    System.arraycopy(header, 0, out, 10, header.length);
    data.get(out, 10 + header.length, data.remaining());
    return out;
  }

  /**
   * Reads one array from {@code in}, which must hold exactly one {@code .npy} array.
   *
   * @param what names the array in messages (file and entry)
   * @param maxBytes the most data bytes this array may have; checked before anything is allocated
   */
  static Tensor read(String what, InputStream in, long maxBytes) throws IOException {
    byte[] prefix = in.readNBytes(8);
    if (prefix.length < 8 || !java.util.Arrays.equals(prefix, 0, 6, MAGIC, 0, 6)) {
      throw new TensorFileException(what + ": not a .npy array (no \\x93NUMPY magic)");
    }
    int major = prefix[6] & 0xFF;
    int minor = prefix[7] & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw new TensorFileException(what + ": .npy format version " + major + "." + minor
          + " is not one numpy writes (1.0, 2.0, 3.0)");
    }
    byte[] size = in.readNBytes(major == 1 ? 2 : 4);
    if (size.length < (major == 1 ? 2 : 4)) {
      throw new TensorFileException(what + ": truncated in the .npy header length");
    }
    long headerLength = 0;
    for (int k = size.length - 1; k >= 0; k--) {
      headerLength = headerLength << 8 | size[k] & 0xFF;
    }
    if (headerLength > MAX_HEADER_BYTES) {
      throw new TensorFileException(what + ": .npy header of " + headerLength + " bytes, more than numpy's limit of "
          + MAX_HEADER_BYTES);
    }
    byte[] header = in.readNBytes((int) headerLength);
    if (header.length < headerLength) {
      throw new TensorFileException(what + ": truncated in the .npy header (" + header.length + " of "
          + headerLength + " bytes)");
    }
    Header h = Header.parse(what, new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
    long bytes = TensorFile.byteSize(h.shape, h.dtype);
    if (bytes < 0 || bytes > maxBytes) {
      throw new TensorFileException(what + ": shape " + h.shapeText() + " of " + h.dtype + " needs "
          + (bytes < 0 ? "more than 2^63" : String.valueOf(bytes)) + " bytes, more than the " + maxBytes
          + " bytes this reader holds");
    }
    byte[] data = readExactly(in, (int) bytes);
    if (data.length < bytes) {
      throw new TensorFileException(what + ": truncated: shape " + h.shapeText() + " of " + h.dtype + " needs "
          + bytes + " bytes of data, the array has " + data.length);
    }
    if (in.read() >= 0) {
      throw new TensorFileException(what + ": more bytes after the " + bytes + " bytes of data that shape "
          + h.shapeText() + " of " + h.dtype + " needs");
    }
    if (h.bigEndian) {
      swapBytes(data, TensorCodec.itemSize(h.dtype));
    }
    if (h.fortranOrder && h.shape.size() > 1) {
      data = fortranToC(data, h.shape, TensorCodec.itemSize(h.dtype));
    }
    return Tensor.newBuilder().setShape(h.shape).setDtype(h.dtype).setData(ByteBuffer.wrap(data)).build();
  }

  /** Up to {@code n} bytes, allocated as they arrive (a lying header cannot make it allocate more). */
  private static byte[] readExactly(InputStream in, int n) throws IOException {
    if (n <= 1 << 20) {
      return in.readNBytes(n);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    byte[] chunk = new byte[1 << 20];
    int left = n;
    while (left > 0) {
      int got = in.read(chunk, 0, Math.min(chunk.length, left));
      if (got < 0) {
        break;
      }
      out.write(chunk, 0, got);
      left -= got;
    }
    return out.toByteArray();
  }

  private static void swapBytes(byte[] data, int item) {
    for (int k = 0; k < data.length; k += item) {
      for (int a = k, b = k + item - 1; a < b; a++, b--) {
        byte t = data[a];
        data[a] = data[b];
        data[b] = t;
      }
    }
  }

  /** Column-major (first axis fastest) values rearranged into row-major order. */
  private static byte[] fortranToC(byte[] data, List<Integer> shape, int item) {
    int rank = shape.size();
    long[] fStride = new long[rank];
    long s = 1;
    for (int d = 0; d < rank; d++) {
      fStride[d] = s;
      s *= shape.get(d);
    }
    byte[] out = new byte[data.length];
    int[] index = new int[rank];
    int n = data.length / item;
    for (int c = 0; c < n; c++) {
      long f = 0;
      for (int d = 0; d < rank; d++) {
        f += index[d] * fStride[d];
      }
      System.arraycopy(data, (int) f * item, out, c * item, item);
      for (int d = rank - 1; d >= 0 && ++index[d] == shape.get(d); d--) {
        index[d] = 0;
      }
    }
    return out;
  }

  /** A parsed {@code .npy} header. */
  private record Header(DType dtype, boolean bigEndian, boolean fortranOrder, List<Integer> shape) {
    String shapeText() {
      return shape.toString();
    }

    /**
     * Parses the header's Python dict literal: string keys, and values that are a string, {@code
     * True}/{@code False} or a tuple of integers; anything else (a list: a structured dtype) is refused.
     */
    static Header parse(String what, String text) throws TensorFileException {
      Map<String, Object> dict = new Literal(what, text).dict();
      if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
        throw new TensorFileException(what + ": .npy header keys " + dict.keySet()
            + " are not descr, fortran_order and shape");
      }
      if (!(dict.get("descr") instanceof String descr)) {
        throw new TensorFileException(what + ": dtype " + dict.get("descr") + " is a structured dtype; streamgrad reads"
            + " float64 ('<f8') and float32 ('<f4') arrays");
      }
      if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
        throw new TensorFileException(what + ": fortran_order " + dict.get("fortran_order") + " is not True or False");
      }
      if (!(dict.get("shape") instanceof List<?> dims)) {
        throw new TensorFileException(what + ": shape " + dict.get("shape") + " is not a tuple of integers");
      }
      List<Integer> shape = new ArrayList<>();
      for (Object d : dims) {
        if (!(d instanceof Long v) || v > Integer.MAX_VALUE) {
          throw new TensorFileException(what + ": shape " + dims + " has a dimension that is not an integer from 0 to "
              + Integer.MAX_VALUE);
        }
        shape.add((int) (long) v);
      }
      DType dtype;
      switch (descr.length() == 3 ? descr.substring(1) : "") {
        case "f8" -> dtype = DType.FLOAT64;
        case "f4" -> dtype = DType.FLOAT32;
        default -> throw new TensorFileException(what + ": " + dtypeProblem(descr));
      }
      char order = descr.charAt(0);
      if (order != '<' && order != '>') {
        throw new TensorFileException(what + ": " + dtypeProblem(descr));
      }
      return new Header(dtype, order == '>', fortran, List.copyOf(shape));
    }

    private static String dtypeProblem(String descr) {
      if (descr.contains("O")) {
        return "dtype '" + descr + "' is an object array (pickled Python objects), which streamgrad never reads;"
            + " save float arrays";
      }
      return "dtype '" + descr + "' is not supported: streamgrad reads float64 ('<f8') and float32 ('<f4') arrays"
          + " (convert with a.astype(numpy.float64))";
    }
  }

  /** A strict reader of the Python literals numpy writes in a header. */
  private static final class Literal {
    private final String what;
    private final String s;
    private int pos;

    Literal(String what, String s) {
      this.what = what;
      this.s = s;
    }

    Map<String, Object> dict() throws TensorFileException {
      expect('{');
      Map<String, Object> dict = new HashMap<>();
      while (!peek('}')) {
        Object key = value(0);
        if (!(key instanceof String k)) {
          throw error("a dict key that is not a string");
        }
        expect(':');
        if (dict.put(k, value(0)) != null) {
          throw error("the key '" + k + "' twice");
        }
        if (!peek('}')) {
          expect(',');
        }
      }
      expect('}');
      skipSpace();
      if (pos != s.length()) {
        throw error("more text after the dict");
      }
      return dict;
    }

    private Object value(int depth) throws TensorFileException {
      skipSpace();
      if (depth > 8) {
        throw error("tuples nested more than 8 deep");
      }
      if (pos >= s.length()) {
        throw error("the end of the header where a value belongs");
      }
      char c = s.charAt(pos);
      if (c == '\'' || c == '"') {
        int end = s.indexOf(c, pos + 1);
        if (end < 0 || s.substring(pos + 1, end).indexOf('\\') >= 0) {
          throw error("a string that is not closed or has escapes");
        }
        String v = s.substring(pos + 1, end);
        pos = end + 1;
        return v;
      }
      if (s.startsWith("True", pos) || s.startsWith("False", pos)) {
        boolean v = s.startsWith("True", pos);
        pos += v ? 4 : 5;
        return v;
      }
      if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        pos++;
        List<Object> items = new ArrayList<>();
        while (!peek(close)) {
          items.add(value(depth + 1));
          if (!peek(close)) {
            expect(',');
          }
        }
        expect(close);
        return c == '(' ? items : new Bracketed(items);
      }
      if (c >= '0' && c <= '9') {
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos)) && pos - start < 18) {
          pos++;
        }
        long v = Long.parseLong(s.substring(start, pos));
        if (pos < s.length() && (Character.isDigit(s.charAt(pos)))) {
          throw error("an integer with more than 18 digits");
        }
        if (pos < s.length() && s.charAt(pos) == 'L') {
          pos++; // Python 2 wrote long integers as 3L
        }
        return v;
      }
      throw error("'" + c + "' where a string, True, False, a number or a tuple belongs");
    }

    private boolean peek(char c) {
      skipSpace();
      return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) throws TensorFileException {
      if (!peek(c)) {
        throw error(pos < s.length() ? "'" + s.charAt(pos) + "' where '" + c + "' belongs" : "the end where '" + c
            + "' belongs");
      }
      pos++;
    }

    private void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    private TensorFileException error(String found) {
      String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
      return new TensorFileException(what + ": the .npy header is not a Python dict literal as numpy writes it: "
          + found + " at character " + pos + " of " + shown.strip());
    }
  }

  /** A {@code [...]} list in a header: numpy writes one only as a structured dtype's descr. */
  private record Bracketed(List<Object> items) {
    @Override
    public String toString() {
      return items.toString();
    }
  }
}
