package dev.streamgrad.job.io;

import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.spec.GeneratorSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes the generator's records to Avro container files ({@code generate} and the bench), with
 * Java's {@link DataFileWriter}: the codec and sync interval as given.
 */
public final class RecordFiles {
  private RecordFiles() {}

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
