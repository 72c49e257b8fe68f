package dev.streamgrad.cli;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.job.bench.BenchRun;
import dev.streamgrad.job.bench.BenchWorkload;
import dev.streamgrad.job.bench.CpuProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: runs a real job spec through the same runner as {@code run}, several times, and
 * reports records per second (whole job and steady state), CPU per record and where it goes, and the
 * share of garbage collection; then times the tutorial's own PyTorch + scipy loop on the same machine
 * ({@link TutorialLoop}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure a training job end to end, as `run` runs it, and compare with the tutorial's PyTorch loop.",
        "Each run's figures can be reproduced with the `run` command it prints."})
public final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "JOB.yaml", defaultValue = "jobs/train-conv2d.yaml",
      description = "A training job spec. Default ${DEFAULT-VALUE} (the main job).")
  Path spec;

  @Option(names = "--source", defaultValue = "generator",
      description = "generator (the spec's generator), avro-file (its records written to Avro files first, before the"
          + " clock starts) or kafka (written to a new topic first). Default ${DEFAULT-VALUE}.")
  String source;

  @Option(names = "--records", defaultValue = "1000000", description = "Records per run. Default ${DEFAULT-VALUE}.")
  long records;

  @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float64 records. Default ${DEFAULT-VALUE}.")
  String dtype;

  @Option(names = "--parallelism", description = "Job parallelism (default: the spec's).")
  Integer parallelism;

  @Option(names = "--runs", defaultValue = "3", description = "Timed runs (median reported). Default ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--warmup", defaultValue = "1",
      description = "Runs first that are reported but not counted: the first is what a fresh `run` gets. Default ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--files", defaultValue = "1",
      description = "avro-file: files to write (the models dealt over them). Default ${DEFAULT-VALUE}.")
  int files;

  @Option(names = "--codec", defaultValue = "null",
      description = "avro-file: codec of the files written (null, deflate, snappy, zstandard, bzip2, xz). Default ${DEFAULT-VALUE}.")
  String codec;

  @Option(names = "--input", paramLabel = "PATH",
      description = "avro-file: read this file or folder (any producer's) instead of writing files.")
  Path input;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "kafka: the broker to write to and read from.")
  String bootstrap;

  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "kafka: a consumer property of the source (the spec's source.properties), e.g."
          + " max.partition.fetch.bytes=1048576.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  @Option(names = "--broker-pid", paramLabel = "PID",
      description = "kafka: the broker's process id (on this machine), to report its CPU time per record beside the"
          + " job's.")
  Long brokerPid;

  @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = "Override a spec value, as `run --set`.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Python with numpy, scipy and torch for the tutorial's loop; 'none' to skip. Default ${DEFAULT-VALUE}.")
  String python;

  @Option(names = "--python-records", defaultValue = "3000", description = "Records per timed pass of the tutorial's loop.")
  int pythonRecords;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    BenchWorkload workload;
    ProcessHandle broker;
    try {
      if (records < 1 || runs < 1 || warmup < 0 || files < 1 || pythonRecords < 1) {
        throw new IllegalArgumentException("need --records, --runs, --files, --python-records >= 1 and --warmup >= 0");
      }
      broker = brokerPid == null ? null : ProcessHandle.of(brokerPid).orElseThrow(
          () -> new IllegalArgumentException("--broker-pid " + brokerPid + ": no such process"));
      workload = BenchWorkload.prepare(spec, source, records, dtype.toLowerCase(Locale.ROOT), parallelism, files,
          codec, input, bootstrap, kafkaProperties, overrides, out);
    } catch (SpecException | IllegalArgumentException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    // try-with-resources: a failure to clean up (e.g. the broker gone) does not hide the run's own
    try (workload) {
      out.println(workload.describe());
      out.println("reproduce a run with: streamgrad " + workload.runCommand());
      out.flush();
      List<BenchRun> timed = new ArrayList<>();
      for (int i = -warmup; i < runs; i++) {
        BenchRun r = BenchRun.of(workload.spec(i), broker);
        if (r.records() != workload.records() || r.deadLetters() != 0) {
          throw new IllegalStateException("run read " + r.records() + " records (expected " + workload.records()
              + ") with " + r.deadLetters() + " dead letters");
        }
        String label = i < 0 ? "warm-up " + (i + warmup + 1) + (i == -warmup ? " (fresh JVM, as `run`)" : "")
            : "run " + (i + 1);
        out.printf(Locale.ROOT, "  %s: %,d records in %.2f s = %,.0f records/s, steady %,.0f/s; CPU %.1f us/record,"
            + " GC %.1f%%%s%n", label, r.records(), r.seconds(), r.rate(), r.steadyRate(), r.cpuMicros(), r.gcPercent(),
            broker == null ? "" : String.format(Locale.ROOT, "; broker CPU %.1f us/record", r.otherCpuMicros()));
        out.flush();
        if (i >= 0) {
          timed.add(r);
        }
      }
      printSummary(out, timed, broker != null);
      if (!"none".equals(python)) {
        Double ref = TutorialLoop.recordsPerSecond(python, pythonRecords, workload.inputShape(),
            workload.kernelShape(), out);
        if (ref != null) {
          out.printf(Locale.ROOT, "tutorial loop (PyTorch + scipy, same machine, now): %,.0f records/s%n", ref);
          out.printf(Locale.ROOT, "ratio: %.1fx%n", median(timed, BenchRun::rate) / ref);
        }
      }
      out.flush();
      return 0;
    }
  }

  private static void printSummary(PrintWriter out, List<BenchRun> timed, boolean broker) {
    out.printf(Locale.ROOT, "median of %d: %,.0f records/s whole job, %,.0f records/s steady; CPU %.1f us/record;"
        + " GC %.1f%% of the time%n", timed.size(), median(timed, BenchRun::rate), median(timed, BenchRun::steadyRate),
        median(timed, BenchRun::cpuMicros), median(timed, BenchRun::gcPercent));
    out.println("CPU per record by stage (median):");
    for (CpuProfile.Stage s : CpuProfile.Stage.values()) {
      double us = median(timed, r -> r.micros(s));
      out.printf(Locale.ROOT, "  %-52s %6.2f us  %5.1f%%%n", s.label, us, 100 * us / median(timed, BenchRun::cpuMicros));
    }
    if (broker) {
      // another process: beside the job's CPU, not a share of it
      out.printf(Locale.ROOT, "  %-52s %6.2f us%n", "Kafka broker (its own process)",
          median(timed, BenchRun::otherCpuMicros));
    }
  }

  static double median(List<BenchRun> runs, java.util.function.ToDoubleFunction<BenchRun> f) {
    double[] s = runs.stream().mapToDouble(f).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
