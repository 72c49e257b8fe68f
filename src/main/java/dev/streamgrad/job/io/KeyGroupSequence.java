package dev.streamgrad.job.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;

/**
 * The positions the {@code generator} source reads, split so that several readers can generate in
 * parallel while every key's records stay in order: the keys are dealt into {@code G} groups (key
 * {@code k} into group {@code k % G}) and each split holds one group, interleaving its keys. A
 * reader therefore emits each of its keys' records in {@code seq} order, and no key is in two
 * splits. Flink's {@link org.apache.flink.connector.datagen.source.DataGeneratorSource} reads the
 * splits (rate limits, checkpoints, restores at another parallelism: a split moves whole).
 *
 * <p>Layout of a position (a non-negative long): bits 56-62 hold {@code G}, bits 48-55 the group
 * {@code g}, bits 0-47 the position {@code j} within the group. The layout sits in the value itself
 * because a restored split must map to the same records whatever the new parallelism. Position
 * {@code j} of group {@code g} is record {@code i = (j / m) * n + g + G * (j % m)} of the stream,
 * where {@code n} is the number of keys and {@code m} the group's key count: the same record
 * {@code i} as the single-reader order of earlier versions, which is the layout {@code G = 0}
 * ({@code i = position}), so their savepoints restore too.
 */
final class KeyGroupSequence extends NumberSequenceSource {
  private static final long serialVersionUID = 1L;

  /** Most groups, hence most parallel generator readers. */
  static final int MAX_GROUPS = 127;
  /** Positions per group: 2^48, about 9,000 years at a million records per second. */
  static final long GROUP_SIZE = 1L << 48;

  private final long count;
  private final int keys;

  /**
   * @param count records in all (over every key), or {@code Long.MAX_VALUE} for an endless stream
   * @param keys the number of keys
   */
  KeyGroupSequence(long count, int keys) {
    super(0, Long.MAX_VALUE);
    if (keys < 1) {
      throw new IllegalArgumentException("a generator needs at least one key, got " + keys);
    }
    this.count = count;
    this.keys = keys;
  }

  @Override
  protected List<NumberSequenceSplit> splitNumberRange(long from, long to, int readers) {
    int groups = Math.max(1, Math.min(Math.min(readers, keys), MAX_GROUPS));
    List<NumberSequenceSplit> splits = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      long length = groupLength(count, keys, groups, g);
      if (length > 0) {
        long first = position(groups, g, 0);
        splits.add(new NumberSequenceSplit(String.valueOf(g), first, first + length - 1));
      }
    }
    return splits;
  }

  /** The number of records of group {@code g} of {@code groups} when the stream has {@code count}. */
  static long groupLength(long count, int keys, int groups, int g) {
    long length = 0;
    for (int k = g; k < keys; k += groups) {
      // key k holds records k, k + n, k + 2n, ... below count
      length += count == Long.MAX_VALUE ? GROUP_SIZE : count <= k ? 0 : (count - 1 - k) / keys + 1;
    }
    return Math.min(length, GROUP_SIZE);
  }

  static long position(int groups, int g, long j) {
    return ((long) groups << 56) | ((long) g << 48) | j;
  }

  /** The stream's record index at {@code position} (see the class comment). */
  static long recordIndex(long position, int keys) {
    int groups = (int) (position >>> 56);
    if (groups == 0) {
      return position;
    }
    int g = (int) ((position >>> 48) & 0xFF);
    long j = position & (GROUP_SIZE - 1);
    int m = (keys - g + groups - 1) / groups;
    return (j / m) * keys + g + (long) groups * (j % m);
  }
}
