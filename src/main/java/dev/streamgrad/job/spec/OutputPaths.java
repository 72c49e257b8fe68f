package dev.streamgrad.job.spec;

import dev.streamgrad.config.SpecException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Static checks of the folders an {@code avro-file} sink writes ({@code sink}, {@code
 * predict.sink}, {@code deadLetters}), made when the spec is read so that a job never fails after
 * it started because of one: a path must not be empty (the files would land in the working
 * directory), must not be an existing file, must be a folder that can be written or created, must
 * not be or lie inside the folder an {@code avro-file} source reads (a later run would read the
 * output as input), and no two outputs may share a folder or nest (their files would mix).
 */
final class OutputPaths {
  /** An {@code avro-file} output: its key path (e.g. {@code sink.path}) and folder. */
  record Output(String key, String path, String note) {}

  /** An {@code avro-file} source: its key path and the path as written (file, folder or glob). */
  record Input(String key, String path) {}

  private final String file;

  private OutputPaths(String file) {
    this.file = file;
  }

  /** Checks {@code outputs} on their own, against each other and against {@code inputs}. */
  static void check(String file, List<Output> outputs, List<Input> inputs) throws SpecException {
    OutputPaths c = new OutputPaths(file);
    List<Path> checked = new ArrayList<>();
    for (Output o : outputs) {
      Path p = c.usable(o);
      for (Input in : inputs) {
        c.notInside(o, p, in);
      }
      for (int i = 0; i < checked.size(); i++) {
        c.apart(o, p, outputs.get(i), checked.get(i));
      }
      checked.add(p);
    }
  }

  private SpecException error(Output o, String problem) {
    return new SpecException(file, o.key(), problem + o.note());
  }

  /** The folder as an absolute path with symbolic links resolved, after checking it can be written. */
  private Path usable(Output o) throws SpecException {
    if (o.path().isBlank()) {
      throw error(o, "must not be empty (the files would be written into the working directory)");
    }
    Path p;
    try {
      p = Path.of(o.path()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw error(o, "'" + o.path() + "' is not a valid path (" + e.getReason() + ")");
    }
    if (Files.exists(p) && !Files.isDirectory(p)) {
      throw error(o, o.path() + " is an existing file; an avro-file sink writes its files into a folder");
    }
    Path existing = p;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!Files.isDirectory(existing)) {
      throw error(o, "the folder " + o.path() + " cannot be created: " + existing + " is a file");
    }
    if (!Files.isWritable(existing)) {
      throw error(o, existing.equals(p) ? "the folder " + o.path() + " is not writable"
          : "the folder " + o.path() + " cannot be created: " + existing + " is not writable");
    }
    return real(p, existing);
  }

  /** {@code p} with the symbolic links of its existing part {@code existing} resolved. */
  private static Path real(Path p, Path existing) {
    try {
      return existing.toRealPath().resolve(existing.relativize(p)).normalize();
    } catch (IOException e) {
      return p;
    }
  }

  /** The output must not be the source's folder or lie inside it (or be a folder its glob reads). */
  private void notInside(Output o, Path out, Input in) throws SpecException {
    int glob = IoSpecs.indexOfGlob(in.path());
    String base = glob < 0 ? in.path() : in.path().substring(0, in.path().lastIndexOf('/', glob) + 1);
    Path root;
    try {
      Path b = Path.of(base.isEmpty() ? "." : base).toAbsolutePath().normalize();
      root = Files.exists(b) ? real(b, b) : b;
    } catch (InvalidPathException e) {
      return; // the source's own check names a bad source path
    }
    if (!out.startsWith(root) || (!out.equals(root) && !IoSpecs.visible(root.relativize(out)))) {
      return; // outside, or in a folder whose name starts with '.' or '_', which a folder source skips
    }
    if (glob >= 0) {
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + in.path().substring(base.length()));
      if (!m.matches(root.relativize(out.resolve("part-0.avro")))) {
        return; // the glob does not read the files this output writes
      }
    }
    throw error(o, o.path() + (out.equals(root) ? " is the folder " : " lies inside the folder ") + in.key()
        + " reads (" + in.path() + "): a later run would read this output as input");
  }

  /** Two outputs must not share a folder or nest. */
  private void apart(Output o, Path out, Output other, Path otherPath) throws SpecException {
    if (out.equals(otherPath)) {
      throw error(o, o.path() + " is also the folder of " + other.key() + "; their files would mix");
    }
    if (out.startsWith(otherPath) || otherPath.startsWith(out)) {
      throw error(o, o.path() + (out.startsWith(otherPath) ? " lies inside " : " contains ") + "the folder of "
          + other.key() + " (" + other.path() + "); their files would mix");
    }
  }
}
