package dev.streamgrad.job.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's CPU time goes, by pipeline stage. Two measurements are combined: every thread's
 * exact CPU time over the run ({@link ThreadMXBean}), and JDK Flight Recorder's execution samples
 * (every 10 ms), which split a Flink task thread's time between the operators chained in it (a
 * source thread also serialises for the shuffle; a trainer thread also deserialises and writes the
 * sink). A sample belongs to the stage of the frame nearest its leaf that names one; threads that run
 * no task are the JVM's own (garbage collection, JIT compilers) or Flink's (RPC, timers: "other").
 */
public final class CpuProfile {
  /** The stages of a training pipeline, in the order records pass them. */
  public enum Stage {
    SOURCE("source read + decode"),
    SHUFFLE_SEND("keyBy shuffle: serialise"),
    SHUFFLE_RECEIVE("keyBy shuffle: deserialise"),
    TRAINER("trainer"),
    SINK("sink (snapshots, dead letters)"),
    OTHER_TASK("other task work (progress taps, mailbox, network)"),
    OTHER("other Java threads (Flink RPC, timers, the bench)"),
    GC("garbage collection"),
    JVM("JIT compilers and the JVM's other threads");

    public final String label;

    Stage(String label) {
      this.label = label;
    }
  }

  /**
   * What a run cost: CPU seconds per stage, the whole process's CPU time, and the time the collectors
   * report as spent collecting (pauses and concurrent phases, wall clock).
   */
  public record Result(Map<Stage, Double> cpuSeconds, double processCpuSeconds, double gcSeconds) {
    public double total() {
      return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  private static final String[][] MARKERS = {
      // checked leaf to root: the first frame that matches one of these prefixes decides the stage
      {"org.apache.flink.connector.file.sink.", "SINK"},
      {"org.apache.flink.formats.avro.AvroBulkWriter", "SINK"},
      {"org.apache.flink.connector.kafka.sink.", "SINK"},
      // a kafka sink's producer (before the "org.apache.kafka." of the consumer below, which it also matches)
      {"org.apache.kafka.clients.producer.", "SINK"},
      // the key's hash and the channel choice too (ChannelSelectorRecordWriter, RecordWriterOutput), which
      // otherwise fell to the operator that emitted the record
      {"org.apache.flink.runtime.io.network.api.writer.", "SHUFFLE_SEND"},
      {"org.apache.flink.streaming.runtime.io.RecordWriterOutput.", "SHUFFLE_SEND"},
      {"org.apache.flink.runtime.io.network.api.serialization.", "SHUFFLE_RECEIVE"},
      {"org.apache.flink.streaming.runtime.io.AbstractStreamTaskNetworkInput.", "SHUFFLE_RECEIVE"},
      {"dev.streamgrad.flink.TrainerFunction.", "TRAINER"},
      {"dev.streamgrad.flink.ModelTrainer.", "TRAINER"},
      {"org.apache.flink.streaming.api.operators.SourceOperator.", "SOURCE"},
      {"org.apache.flink.connector.base.source.reader.", "SOURCE"},
      {"org.apache.flink.connector.file.src.", "SOURCE"},
      // the progress taps between the source and the keyBy (their own time; what they emit is matched above)
      {"dev.streamgrad.job.ProgressTaps", "OTHER_TASK"},
      // kafka: the split fetcher thread (the consumer's poll: network, record parsing, CRC checks), the
      // task thread's emitter and PayloadDeserializer, and the chained decode operator (Avro)
      {"org.apache.flink.connector.kafka.source.", "SOURCE"},
      {"org.apache.kafka.", "SOURCE"},
      {"dev.streamgrad.kafka.PayloadDeserializer.", "SOURCE"},
      {"dev.streamgrad.kafka.DecodeFunction.", "SOURCE"},
      {"dev.streamgrad.kafka.SingleObjectCodec.", "SOURCE"},
      {"dev.streamgrad.job.io.", "SOURCE"},
  };

  /** Flink names a task's thread after its operator chain and subtask: {@code "... (1/2)#0"}. */
  private static final Pattern TASK_THREAD = Pattern.compile("\\(\\d+/\\d+\\)#\\d+$");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> cpuAtStart = new HashMap<>();
  /** Each thread's newest CPU time and name: polled, because Flink's task threads end with the job. */
  private final Map<Long, Long> cpuLatest = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ScheduledExecutorService poller =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "streamgrad-bench-cpu-poller");
        t.setDaemon(true);
        return t;
      });
  private final Recording recording = new Recording();
  private long gcMillisAtStart;
  private long processCpuAtStart;

  /** Starts measuring now. */
  public static CpuProfile start() {
    CpuProfile p = new CpuProfile();
    p.begin();
    return p;
  }

  private void begin() {
    for (long id : threads.getAllThreadIds()) {
      cpuAtStart.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    poll();
    poller.scheduleAtFixedRate(this::poll, 20, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
    gcMillisAtStart = gcMillis();
    processCpuAtStart = processCpuNanos();
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
    recording.enable("jdk.GCCPUTime");
    recording.setToDisk(true);
    recording.start();
  }

  /** Stops measuring and attributes the CPU time spent since {@link #start}. */
  public Result stop() throws IOException {
    poller.shutdownNow();
    poll();
    Map<Long, Long> cpu = new HashMap<>();
    cpuLatest.forEach((id, t) -> cpu.put(id, Math.max(0, t - cpuAtStart.getOrDefault(id, 0L))));
    double processCpu = (processCpuNanos() - processCpuAtStart) / 1e9;
    double gc = (gcMillis() - gcMillisAtStart) / 1e3;
    recording.stop();
    Path file = Files.createTempFile("streamgrad-bench", ".jfr");
    Map<Long, Map<Stage, Integer>> samples = new HashMap<>();
    double gcCpu = 0;
    try {
      recording.dump(file);
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        String type = e.getEventType().getName();
        if (type.equals("jdk.GCCPUTime")) {
          gcCpu += (e.getLong("userTime") + e.getLong("systemTime")) / 1e9;
          continue;
        }
        // the dump also holds the events of other recordings running meanwhile (-XX:StartFlightRecording)
        if (!type.equals("jdk.ExecutionSample")) {
          continue;
        }
        RecordedThread t = e.getThread("sampledThread");
        if (t != null && e.getStackTrace() != null) {
          samples.computeIfAbsent(t.getJavaThreadId(), k -> new EnumMap<>(Stage.class))
              .merge(stageOf(methods(e.getStackTrace().getFrames()), t.getJavaName()), 1, Integer::sum);
        }
      }
    } finally {
      recording.close();
      Files.deleteIfExists(file);
    }
    Map<Stage, Double> seconds = new EnumMap<>(Stage.class);
    for (Map.Entry<Long, Long> c : cpu.entrySet()) {
      attribute(seconds, names.get(c.getKey()), c.getValue() / 1e9, samples.get(c.getKey()));
    }
    // the collector's and the JIT's threads are native, outside ThreadMXBean: the GC's CPU time comes
    // from its own events, the rest of the process's time (and threads that ended meanwhile) is the JVM's
    double seen = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    seconds.put(Stage.GC, Math.min(gcCpu, Math.max(0, processCpu - seen)));
    seconds.put(Stage.JVM, Math.max(0, processCpu - seen - seconds.get(Stage.GC)));
    return new Result(seconds, processCpu, gc);
  }

  /**
   * Every live thread's CPU time now, in one call; names (a {@link ThreadInfo} each) only for threads
   * not seen before: the poller runs every 20 ms beside the measured job, and building a hundred
   * ThreadInfos each time cost it about 2% of a core.
   */
  private void poll() {
    long[] ids = threads.getAllThreadIds();
    long[] cpu = threads instanceof com.sun.management.ThreadMXBean bulk
        ? bulk.getThreadCpuTime(ids) : java.util.Arrays.stream(ids).map(threads::getThreadCpuTime).toArray();
    List<Long> unnamed = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      if (cpu[i] >= 0) {
        cpuLatest.merge(ids[i], cpu[i], Math::max);
        if (!names.containsKey(ids[i])) {
          unnamed.add(ids[i]);
        }
      }
    }
    if (!unnamed.isEmpty()) {
      for (ThreadInfo info : threads.getThreadInfo(unnamed.stream().mapToLong(Long::longValue).toArray())) {
        if (info != null) {
          names.putIfAbsent(info.getThreadId(), info.getThreadName());
        }
      }
    }
  }

  private static void attribute(Map<Stage, Double> seconds, String name, double cpu, Map<Stage, Integer> samples) {
    if (name == null || cpu == 0) {
      return;
    }
    if (samples == null || samples.isEmpty()) {
      seconds.merge(Stage.OTHER, cpu, Double::sum);
      return;
    }
    int n = samples.values().stream().mapToInt(Integer::intValue).sum();
    samples.forEach((stage, k) -> seconds.merge(stage, cpu * k / n, Double::sum));
  }

  /**
   * The stage of a sample: its frame nearest the leaf that a marker names; else the task's own
   * machinery on a Flink task thread, and "other" on any other thread (the bench's main thread
   * starting the cluster, RPC, the REST client), which used to count as task work.
   */
  static Stage stageOf(List<String> methods, String threadName) {
    for (String name : methods) {
      for (String[] m : MARKERS) {
        if (name.startsWith(m[0])) {
          return Stage.valueOf(m[1]);
        }
      }
    }
    return threadName != null && TASK_THREAD.matcher(threadName).find() ? Stage.OTHER_TASK : Stage.OTHER;
  }

  /** {@code class.method} of each frame, leaf first. */
  private static List<String> methods(List<RecordedFrame> frames) {
    List<String> names = new ArrayList<>(frames.size());
    for (RecordedFrame f : frames) {
      if (f.getMethod() != null) {
        names.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
      }
    }
    return names;
  }

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean
        ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0L;
  }
}
