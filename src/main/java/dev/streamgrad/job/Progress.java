package dev.streamgrad.job;

import dev.streamgrad.avro.FilterSnapshot;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run on the embedded cluster has done so far, filled by the pass-through taps of {@link
 * ProgressTaps} (same JVM) and read by {@link JobRunner}'s progress line and summary. On a real
 * cluster the taps run in other JVMs and find no run: they only pass records through.
 */
public final class Progress {
  private static final Map<String, Progress> RUNS = new ConcurrentHashMap<>();

  // adders, not atomics: several source readers count every record at once, and one shared
  // counter would bounce its cache line between the cores on each of them
  final LongAdder recordsIn = new LongAdder();
  final LongAdder recordsOut = new LongAdder();
  final LongAdder deadLetters = new LongAdder();
  final AtomicLong snapshots = new AtomicLong();
  private final Map<String, FilterSnapshot> latest = new ConcurrentHashMap<>();

  /** Starts tracking run {@code id}. */
  static Progress register(String id) {
    Progress p = new Progress();
    RUNS.put(id, p);
    return p;
  }

  static Progress of(String id) {
    return id == null ? null : RUNS.get(id);
  }

  static void unregister(String id) {
    RUNS.remove(id);
  }

  void snapshot(FilterSnapshot s) {
    snapshots.incrementAndGet();
    // after a restore, an older version may be replayed: keep the newest
    latest.merge(s.getModel(), s, (a, b) -> b.getVersion() >= a.getVersion() ? b : a);
  }

  public long recordsIn() {
    return recordsIn.sum();
  }

  public long recordsOut() {
    return recordsOut.sum();
  }

  public long deadLetters() {
    return deadLetters.sum();
  }

  public long snapshots() {
    return snapshots.get();
  }

  /** The newest snapshot per model, by model name. */
  public Map<String, FilterSnapshot> latestSnapshots() {
    return new TreeMap<>(latest);
  }
}
