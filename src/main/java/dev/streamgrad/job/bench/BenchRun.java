package dev.streamgrad.job.bench;

import dev.streamgrad.job.JobRunner;
import dev.streamgrad.job.spec.JobSpec;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a job spec once, exactly as {@code streamgrad run} does (same {@link JobRunner}, same graph
 * builder, same configuration; only the console output is discarded), and measures it.
 *
 * @param records records the source read
 * @param seconds the job's time, from submission to its end (what {@code run}'s summary divides by)
 * @param steadyRate records per second between 20% and 90% of the input (JIT warm-up and the job's
 *     start and end excluded)
 * @param deadLetters dead letters the job wrote
 * @param profile where the CPU time went
 * @param otherCpuSeconds CPU time of the other process measured beside the job (the Kafka broker it
 *     reads from) over the run, or NaN when there is none
 */
public record BenchRun(long records, double seconds, double steadyRate, long deadLetters, CpuProfile.Result profile,
    double otherCpuSeconds) {

  /** Records per second over the whole job. */
  public double rate() {
    return records / seconds;
  }

  /** CPU microseconds per record of {@code stage}. */
  public double micros(CpuProfile.Stage stage) {
    return profile.cpuSeconds().getOrDefault(stage, 0.0) * 1e6 / records;
  }

  /** CPU microseconds per record, whole process. */
  public double cpuMicros() {
    return profile.processCpuSeconds() * 1e6 / records;
  }

  /** CPU microseconds per record of the other process (NaN when none was measured). */
  public double otherCpuMicros() {
    return otherCpuSeconds * 1e6 / records;
  }

  /** The share of the job's time the collectors were busy, in percent. */
  public double gcPercent() {
    return 100 * profile.gcSeconds() / seconds;
  }

  /**
   * Runs {@code spec} (a bounded one) on a new embedded cluster and measures it, and the CPU time
   * {@code other} (a process the job depends on, such as its Kafka broker; nullable) spends meanwhile.
   */
  public static BenchRun of(JobSpec spec, ProcessHandle other) throws Exception {
    if (!spec.bounded()) {
      throw new IllegalArgumentException("the bench needs a bounded source: " + spec.source());
    }
    List<double[]> ticks = new ArrayList<>();
    JobRunner runner = new JobRunner(spec, new PrintWriter(Writer.nullWriter()))
        .webPorts("0")
        .progressEvery(Duration.ofMillis(200))
        .progressListener((s, n) -> ticks.add(new double[] {s, n}));
    double otherAtStart = cpuSeconds(other);
    CpuProfile profile = CpuProfile.start();
    JobRunner.Result r = runner.run();
    CpuProfile.Result cpu = profile.stop();
    double otherCpu = cpuSeconds(other) - otherAtStart;
    long records = r.progress().recordsIn();
    return new BenchRun(records, r.seconds(), steadyRate(ticks, records), r.progress().deadLetters(), cpu, otherCpu);
  }

  /** The CPU time {@code p} has used so far (user and system), or NaN when it is null or not known. */
  private static double cpuSeconds(ProcessHandle p) {
    if (p == null) {
      return Double.NaN;
    }
    if (!p.isAlive()) {
      throw new IllegalStateException("process " + p.pid() + " (measured beside the job) is not running");
    }
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  /**
   * The rate between the first tick past 20% of {@code total} and the last tick before 90%; the
   * whole-job rate's numerator and denominator when the run was too short for two such ticks.
   */
  static double steadyRate(List<double[]> ticks, long total) {
    double[] first = null;
    double[] last = null;
    for (double[] t : ticks) {
      if (first == null && t[1] >= 0.2 * total) {
        first = t;
      }
      if (t[1] <= 0.9 * total) {
        last = t;
      }
    }
    if (first == null || last == null || last[0] <= first[0]) {
      return Double.NaN;
    }
    return (last[1] - first[1]) / (last[0] - first[0]);
  }
}
