package dev.streamgrad.job.io;

import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes the generator's records to Avro container files ({@code generate} and the bench), with
 * Java's {@link DataFileWriter}: the codec and sync interval as given; and lists the files that
 * commands read ({@link #under}).
 */
public final class RecordFiles {
  private RecordFiles() {}

  /**
   * The files {@code inspect}, {@code export} and {@code report} read from {@code paths}: a file as
   * given; a folder's regular files at any depth, sorted, without names starting with {@code .} or
   * {@code _} (Flink's in-progress and marker files), as the {@code avro-file} source skips them.
   *
   * @throws NoSuchFileException for a path that is neither a file nor a folder
   * @throws FileSystemException naming the folder that cannot be listed
   */
  public static List<Path> under(List<Path> paths) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(f -> !hidden(f.getFileName().toString())).sorted()
              .forEach(files::add);
        } catch (IOException | UncheckedIOException e) {
          throw new FileSystemException(p.toString(), null, "cannot list: " + e.getMessage());
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new NoSuchFileException(p.toString(), null, "no such file or folder");
      }
    }
    return files;
  }

  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  /** Writes records {@code make(0..n-1)} to {@code f}. */
  public static <T extends SpecificRecordBase> void write(File f, Class<T> type, long n, LongFunction<T> make,
      CodecFactory codec, int syncInterval) throws IOException {
    try (DataFileWriter<T> w = new DataFileWriter<>(new SpecificDatumWriter<>(type))) {
      w.setCodec(codec);
      w.setSyncInterval(syncInterval);
      w.create(make.apply(0).getSchema(), f);
      for (long i = 0; i < n; i++) {
        w.append(make.apply(i));
      }
    }
  }

  /**
   * Writes the labeled records of {@code spec} into {@code files} files in {@code dir}, the keys dealt
   * over the files as the generator deals them over its readers ({@link KeyGroupSequence}), so that
   * each model's records are in one file, in order: the same records a {@code generator} source with
   * this spec trains on.
   *
   * @return the files written
   */
  public static List<Path> writeLabeled(GeneratorSpec spec, Path dir, int files, CodecFactory codec, int syncInterval)
      throws IOException {
    SyntheticRecords records = new SyntheticRecords(spec);
    int keys = spec.keys().size();
    int groups = Math.max(1, Math.min(Math.min(files, keys), KeyGroupSequence.MAX_GROUPS));
    List<Path> written = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      long n = KeyGroupSequence.groupLength(spec.count(), keys, groups, g);
      if (n == 0) {
        continue;
      }
      Path f = dir.resolve(groups == 1 ? "labeled.avro" : String.format("labeled-%03d.avro", g));
      int group = g;
      write(f.toFile(), LabeledTensorRecord.class, n,
          j -> records.labeled(KeyGroupSequence.recordIndex(KeyGroupSequence.position(groups, group, j), keys)),
          codec, syncInterval);
      written.add(f);
    }
    return written;
  }
}
