package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyGroupSequenceTest {

  @ParameterizedTest(name = "count {0}, keys {1}, readers {2}")
  @CsvSource({"0,1,1", "1,1,2", "1,3,2", "7,1,1", "7,1,4", "10,2,2", "11,2,2", "11,3,2", "100,7,3", "101,5,5",
      "1000,13,4", "97,4,8", "50,200,130"})
  void everyRecordOnceAndEachKeyInOrderInOneSplit(long count, int keys, int readers) {
    List<NumberSequenceSplit> splits = new KeyGroupSequence(count, keys).splitNumberRange(0, Long.MAX_VALUE, readers);
    assertThat(splits.size()).isLessThanOrEqualTo(Math.min(readers, keys));
    Set<Long> seen = new HashSet<>();
    Map<Long, Integer> splitOfKey = new HashMap<>();
    for (NumberSequenceSplit s : splits) {
      Map<Long, Long> lastOfKey = new HashMap<>();
      for (long p = s.from(); p <= s.to(); p++) {
        long i = KeyGroupSequence.recordIndex(p, keys);
        assertThat(i).isBetween(0L, count - 1);
        assertThat(seen.add(i)).as("record %d twice", i).isTrue();
        long key = i % keys;
        assertThat(splitOfKey.computeIfAbsent(key, k -> splits.indexOf(s))).isEqualTo(splits.indexOf(s));
        Long last = lastOfKey.put(key, i);
        assertThat(last == null || last < i).as("key %d out of order", key).isTrue();
      }
    }
    assertThat(seen).hasSize((int) count);
  }

  @ParameterizedTest(name = "keys {0}, readers {1}")
  @CsvSource({"1,1", "2,2", "3,2", "9,4", "300,200"})
  void endlessStreamsInterleaveTheirKeys(int keys, int readers) {
    List<NumberSequenceSplit> splits = new KeyGroupSequence(Long.MAX_VALUE, keys)
        .splitNumberRange(0, Long.MAX_VALUE, readers);
    int groups = Math.min(Math.min(keys, readers), KeyGroupSequence.MAX_GROUPS);
    assertThat(splits).hasSize(groups);
    for (NumberSequenceSplit s : splits) {
      // the first round of a group covers each of its keys once, in key order
      List<Long> firstRound = new ArrayList<>();
      int m = s.to() - s.from() + 1 >= keys ? (keys - Integer.parseInt(s.splitId()) + groups - 1) / groups : 0;
      for (long p = s.from(); p < s.from() + m; p++) {
        firstRound.add(KeyGroupSequence.recordIndex(p, keys));
      }
      assertThat(firstRound).isSorted().allMatch(i -> i < keys && i % groups == Integer.parseInt(s.splitId()));
    }
  }

  @ParameterizedTest(name = "position {0}")
  @CsvSource({"0", "1", "12345"})
  void positionsOfEarlierSinglereaderSavepointsAreRecordIndices(long position) {
    assertThat(KeyGroupSequence.recordIndex(position, 2)).isEqualTo(position);
  }
}
