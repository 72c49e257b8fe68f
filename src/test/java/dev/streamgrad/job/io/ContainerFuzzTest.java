package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.LabeledTensorRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.avro.file.CodecFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random damage to valid container files, thousands of cases from a fixed seed: byte flips, runs of
 * random bytes, truncations, and several of them at once. Reading never throws, and every record of
 * every block the damage did not touch comes out, exactly and in order (a touched block's records may
 * come out, when the damage left them well formed, or be dead-lettered).
 */
class ContainerFuzzTest {
  @TempDir
  File dir;

  private static final int N = 30;
  private static final int PER_BLOCK = 5;

  @ParameterizedTest(name = "codec {0}")
  @CsvSource({"null,1500", "deflate,1500", "snappy,700"})
  void damageNeverFailsAndIntactBlocksAreAllRead(String codec, int cases) throws IOException {
    File original = new File(dir, "original.avro");
    List<Long> blocks = ContainerFiles.write(original, ContainerFiles.spec(N, 5), N, PER_BLOCK,
        CodecFactory.fromString(codec));
    byte[] bytes = Files.readAllBytes(original.toPath());
    SyntheticRecords gen = new SyntheticRecords(ContainerFiles.spec(N, 5));
    List<LabeledTensorRecord> all = IntStream.range(0, N).mapToObj(gen::labeled).toList();
    SplittableRandom rng = new SplittableRandom(20261206L);
    File f = new File(dir, "damaged.avro");
    for (int c = 0; c < cases; c++) {
      byte[] damaged = bytes.clone();
      int length = damaged.length;
      List<long[]> regions = new ArrayList<>();
      int kinds = 1 + rng.nextInt(3);
      for (int d = 0; d < kinds && length > 1; d++) {
        int at = rng.nextInt(length);
        switch (rng.nextInt(3)) {
          case 0 -> {
            damaged[at] ^= (byte) (1 << rng.nextInt(8));
            regions.add(new long[] {at, at + 1});
          }
          case 1 -> {
            int n = Math.min(1 + rng.nextInt(40), length - at);
            for (int k = 0; k < n; k++) {
              damaged[at + k] = (byte) rng.nextInt(256);
            }
            regions.add(new long[] {at, at + n});
          }
          default -> {
            length = at;
            regions.add(new long[] {at, Long.MAX_VALUE});
          }
        }
      }
      Files.write(f.toPath(), java.util.Arrays.copyOf(damaged, length));
      ContainerFiles.Read r;
      try {
        r = ContainerFiles.read(f);
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("case " + c + ": reading failed", e);
      }
      // the blocks no damage touched (including the marker after them and the header before them)
      List<LabeledTensorRecord> intact = new ArrayList<>();
      boolean headerTouched = regions.stream().anyMatch(g -> g[0] < blocks.get(0));
      for (int b = 0; b + 1 < blocks.size() && !headerTouched; b++) {
        long from = blocks.get(b);
        long to = blocks.get(b + 1);
        if (regions.stream().noneMatch(g -> g[0] < to && g[1] > from)) {
          intact.addAll(all.subList(b * PER_BLOCK, Math.min(N, (b + 1) * PER_BLOCK)));
        }
      }
      assertThat(isSubsequence(intact, r.records())).as("case %d: intact blocks' records in order; blocks %s,"
          + " damage %s, %d records, dead letters %s", c, blocks, describe(regions), r.records().size(),
          r.dead().stream().map(d -> d.getReason()).toList()).isTrue();
      if (regions.stream().anyMatch(g -> g[0] < bytes.length)) {
        assertThat(r.records().size() + r.dead().size()).as("case %d: something came out", c).isPositive();
      }
    }
  }

  private static String describe(List<long[]> regions) {
    return regions.stream().map(g -> "[" + g[0] + ", " + (g[1] == Long.MAX_VALUE ? "cut" : g[1]) + ")").toList()
        .toString();
  }

  private static boolean isSubsequence(List<LabeledTensorRecord> want, List<LabeledTensorRecord> got) {
    int i = 0;
    for (LabeledTensorRecord g : got) {
      if (i < want.size() && want.get(i).equals(g)) {
        i++;
      }
    }
    return i == want.size();
  }
}
