package dev.streamgrad.models;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format (github.com/huggingface/safetensors, README "Format" and the validation of
 * {@code safetensors/src/tensor.rs}): an unsigned little-endian 64-bit header length {@code N}, {@code
 * N} bytes of JSON ({@code {"NAME": {"dtype": "F64", "shape": [3, 3], "data_offsets": [BEGIN, END]},
 * ..., "__metadata__": {"key": "value"}}}), then the byte buffer the offsets index, little-endian,
 * row-major. What {@code safetensors.torch.load_file} reads.
 *
 * <p>Writes as the reference serializer does: tensors ordered by dtype (F64 before F32) then name
 * (by UTF-8 bytes), the {@code __metadata__} first, compact JSON padded with spaces to a multiple of
 * 8 bytes, so the data is aligned. Reads F64 and F32 and validates as the reference does: the header
 * at most 100,000,000 bytes and inside the file, a JSON object with no key twice and nothing after
 * it, metadata values strings, each tensor's size equal to its shape's, offsets contiguous from 0
 * with no hole or overlap, and the buffer ending exactly at the file's end.
 */
public final class SafetensorsFiles {
  /** The reference implementation's {@code MAX_HEADER_SIZE}. */
  static final long MAX_HEADER_BYTES = 100_000_000;
  private static final String METADATA = "__metadata__";
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
  /** The dtypes of the format (tensor.rs's Dtype) that streamgrad does not read: named in the refusal. */
  private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
      "I16", "U16", "F16", "BF16", "I32", "U32", "I64", "U64", "C64", "F4", "F6_E2M3", "F6_E3M2");
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private SafetensorsFiles() {}

  /** Writes {@code file}: its metadata in {@code __metadata__}, its tensors as F64 or F32. */
  public static void write(TensorFile file, OutputStream out) throws IOException {
    List<Map.Entry<String, Tensor>> order = new ArrayList<>(file.tensors().entrySet());
    order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> e.getValue().getDtype() == DType.FLOAT64 ? 0 : 1)
        .thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(header, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (!file.metadata().isEmpty()) {
        g.writeObjectFieldStart(METADATA);
        for (Map.Entry<String, String> m : file.metadata().entrySet()) {
          g.writeStringField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (Map.Entry<String, Tensor> e : order) {
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("dtype", e.getValue().getDtype() == DType.FLOAT64 ? "F64" : "F32");
        g.writeArrayFieldStart("shape");
        for (int d : e.getValue().getShape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        long end = offset + e.getValue().getData().remaining();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        g.writeNumber(end);
        g.writeEndArray();
        g.writeEndObject();
        offset = end;
      }
      g.writeEndObject();
    }
    while (header.size() % 8 != 0) {
      header.write(' ');
    }
    if (header.size() > MAX_HEADER_BYTES) {
      throw new TensorFileException("a safetensors header of " + header.size() + " bytes is more than the format's "
          + MAX_HEADER_BYTES);
    }
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.size()).array());
    header.writeTo(out);
    for (Map.Entry<String, Tensor> e : order) {
      ByteBuffer data = e.getValue().getData().duplicate();
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      out.write(bytes);
    }
  }

  /**
   * Reads the safetensors file {@code path}: its tensors in the order of their data and its
   * metadata, at most {@code maxBytes} data bytes in all (checked before any is allocated).
   */
  public static TensorFile read(Path path, long maxBytes) throws TensorFileException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new TensorFileException(path + ": not a safetensors file: " + size
            + " bytes, fewer than the 8 of the header length");
      }
      long n = readFully(ch, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (n < 0 || n > MAX_HEADER_BYTES) {
        throw new TensorFileException(path + ": header length " + Long.toUnsignedString(n) + " is more than the "
            + MAX_HEADER_BYTES + " bytes the format allows (not a safetensors file?)");
      }
      if (n > size - 8) {
        throw new TensorFileException(path + ": header length " + n + " runs past the end of the file (" + size
            + " bytes): truncated, or not a safetensors file");
      }
      Header h = Header.parse(path, readFully(ch, 8, (int) n));
      long dataBytes = h.validate(path);
      if (8 + n + dataBytes != size) {
        throw new TensorFileException(path + ": the header's offsets cover " + dataBytes + " bytes of data but the"
            + " file has " + (size - 8 - n) + " after the header (" + (8 + n + dataBytes > size ? "truncated"
            : "bytes no tensor indexes") + ")");
      }
      if (dataBytes > maxBytes) {
        throw new TensorFileException(path + ": " + dataBytes + " bytes of tensor data, more than the " + maxBytes
            + " this reader holds");
      }
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Info t : h.tensors) {
        ByteBuffer data = readFully(ch, 8 + n + t.begin, (int) (t.end - t.begin));
        tensors.put(t.name, Tensor.newBuilder().setShape(t.shape).setDtype(t.dtype).setData(data).build());
      }
      return new TensorFile(tensors, h.metadata);
    } catch (TensorFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new TensorFileException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new TensorFileException("the file ended while reading " + length + " bytes at offset " + position);
      }
    }
    return b.flip();
  }

  /** One tensor's entry in the header. */
  private record Info(String name, DType dtype, List<Integer> shape, long begin, long end) {}

  /** The parsed header: metadata and tensors, sorted by their offsets. */
  private record Header(Map<String, String> metadata, List<Info> tensors) {
    static Header parse(Path path, ByteBuffer bytes) throws IOException {
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Info> tensors = new ArrayList<>();
      try (JsonParser p = JSON.createParser(bytes.array(), 0, bytes.limit())) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new TensorFileException(path + ": the header is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (METADATA.equals(name)) {
            if (value == JsonToken.VALUE_NULL) {
              continue;
            }
            if (value != JsonToken.START_OBJECT) {
              throw new TensorFileException(path + ": __metadata__ is not an object of strings");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new TensorFileException(path + ": __metadata__ '" + key + "' is not a string (the format allows"
                    + " only string values)");
              }
              metadata.put(key, p.getText());
            }
          } else {
            tensors.add(info(path, name, p));
          }
        }
        if (p.nextToken() != null) {
          throw new TensorFileException(path + ": more JSON after the header's object");
        }
      } catch (TensorFileException e) {
        throw e;
      } catch (IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        throw new TensorFileException(path + ": the header is not valid JSON: " + why, e);
      }
      tensors.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
      return new Header(metadata, tensors);
    }

    private static Info info(Path path, String name, JsonParser p) throws IOException {
      String what = path + ": tensor '" + name + "'";
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new TensorFileException(what + " is not an object with dtype, shape and data_offsets");
      }
      String dtype = null;
      List<Long> shape = null;
      List<Long> offsets = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "dtype" -> {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
              throw new TensorFileException(what + ": dtype is not a string");
            }
            dtype = p.getText();
          }
          case "shape" -> shape = integers(what + ": shape", p);
          case "data_offsets" -> offsets = integers(what + ": data_offsets", p);
          default -> p.skipChildren(); // the reference ignores other fields
        }
      }
      if (dtype == null || shape == null || offsets == null) {
        throw new TensorFileException(what + " lacks " + (dtype == null ? "dtype" : shape == null ? "shape"
            : "data_offsets"));
      }
      DType type = switch (dtype) {
        case "F64" -> DType.FLOAT64;
        case "F32" -> DType.FLOAT32;
        default -> throw new TensorFileException(what + ": dtype " + dtype + (OTHER_DTYPES.contains(dtype)
            ? " is not supported: streamgrad reads F64 and F32 tensors" : " is not a safetensors dtype"));
      };
      List<Integer> dims = new ArrayList<>();
      for (long d : shape) {
        if (d > Integer.MAX_VALUE) {
          throw new TensorFileException(what + ": shape " + shape + " has a dimension above " + Integer.MAX_VALUE);
        }
        dims.add((int) d);
      }
      if (offsets.size() != 2 || offsets.get(0) > offsets.get(1)) {
        throw new TensorFileException(what + ": data_offsets " + offsets + " is not [BEGIN, END] with BEGIN <= END");
      }
      return new Info(name, type, List.copyOf(dims), offsets.get(0), offsets.get(1));
    }

    private static List<Long> integers(String what, JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw new TensorFileException(what + " is not an array of integers");
      }
      List<Long> values = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            || p.getLongValue() < 0) {
          throw new TensorFileException(what + " has " + p.getText() + ", not an integer from 0 to 2^63-1");
        }
        values.add(p.getLongValue());
      }
      return values;
    }

    /** The reference's validation: contiguous offsets from 0 and sizes that match shapes; the data's length. */
    long validate(Path path) throws TensorFileException {
      long start = 0;
      for (Info t : tensors) {
        if (t.begin != start) {
          throw new TensorFileException(path + ": tensor '" + t.name + "' has data_offsets [" + t.begin + ", " + t.end
              + "] but the previous tensor's data ends at " + start + " (offsets must be contiguous from 0, with no"
              + " overlap and no hole)");
        }
        long bytes = TensorFile.byteSize(t.shape, t.dtype);
        if (bytes != t.end - t.begin) {
          throw new TensorFileException(path + ": tensor '" + t.name + "' of shape " + t.shape + " and " + t.dtype
              + " needs " + (bytes < 0 ? "more than 2^63" : String.valueOf(bytes)) + " bytes but its data_offsets ["
              + t.begin + ", " + t.end + "] hold " + (t.end - t.begin));
        }
        if (bytes > MAX_ARRAY) {
          throw new TensorFileException(path + ": tensor '" + t.name + "' has " + bytes + " bytes, more than one Java"
              + " array holds");
        }
        start = t.end;
      }
      return start;
    }
  }
}
