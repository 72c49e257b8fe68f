package dev.streamgrad.nn;

import dev.streamgrad.autograd.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and loads state dicts ({@link Module#stateDict()}) to files in a small self-describing
 * binary format: magic {@code SGSD}, format version, entry count, then per entry its name (UTF),
 * rank, dimensions and big-endian doubles in row-major order.
 */
public final class StateDicts {
  private static final int MAGIC = 0x53475344; // "SGSD"
  private static final int FORMAT_VERSION = 1;

  private StateDicts() {}

  public static void save(Map<String, Tensor> state, Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT_VERSION);
      out.writeInt(state.size());
      for (Map.Entry<String, Tensor> e : state.entrySet()) {
        out.writeUTF(e.getKey());
        int[] shape = e.getValue().shape();
        out.writeInt(shape.length);
        for (int d : shape) {
          out.writeInt(d);
        }
        for (double v : e.getValue().buffer()) {
          out.writeDouble(v);
        }
      }
    }
  }

  public static Map<String, Tensor> load(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a streamgrad state dict (bad magic number)");
      }
      int version = in.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(file + " has state dict format version " + version + ", expected " + FORMAT_VERSION);
      }
      int entries = in.readInt();
      Map<String, Tensor> state = new LinkedHashMap<>();
      for (int e = 0; e < entries; e++) {
        String name = in.readUTF();
        int[] shape = new int[in.readInt()];
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
          shape[d] = in.readInt();
          n *= shape[d];
        }
        double[] data = new double[n];
        for (int k = 0; k < n; k++) {
          data[k] = in.readDouble();
        }
        state.put(name, Tensor.wrap(data, shape));
      }
      return state;
    }
  }
}
