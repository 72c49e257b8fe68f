package dev.streamgrad.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The real-cluster test's Kafka broker ({@link KafkaBroker}, KRaft, loopback, Maven Central jars) as
 * a program, for {@code src/test/bench/run-kafka-bench.sh}: starts it in {@code DIR}, writes {@code
 * DIR/bootstrap} (host:port) and {@code DIR/pid} (the broker process's id) once it answers, then
 * waits. It stops the broker and exits when it is signalled (SIGTERM, SIGINT), when the process
 * {@code --parent PID} ends, or after {@code --max-minutes} at the latest, so a broker never
 * outlives its benchmark.
 *
 * <p>Needs the system properties {@code streamgrad.kafka.version}, {@code streamgrad.log4j.version}
 * and {@code streamgrad.dependency.plugin.version} (the pom's values) to resolve the broker's jars
 * into {@code target/cluster-libs/kafka}, as the real-cluster test does.
 *
 * <pre>java -cp ... dev.streamgrad.cluster.KafkaBrokerMain DIR [--parent PID] [--max-minutes N]</pre>
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length % 2 != 1) {
      throw new IllegalArgumentException("usage: KafkaBrokerMain DIR [--parent PID] [--max-minutes N]");
    }
    Path dir = Path.of(args[0]).toAbsolutePath();
    Optional<ProcessHandle> parent = Optional.empty();
    Duration maxLife = Duration.ofMinutes(120);
    for (int i = 1; i < args.length; i += 2) {
      switch (args[i]) {
        case "--parent":
          long pid = Long.parseLong(args[i + 1]);
          parent = ProcessHandle.of(pid);
          if (parent.isEmpty()) {
            throw new IllegalArgumentException("--parent " + pid + ": no such process");
          }
          break;
        case "--max-minutes":
          maxLife = Duration.ofMinutes(Long.parseLong(args[i + 1]));
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long deadline = System.nanoTime() + maxLife.toNanos();
    // ManagedProcesses stops the broker from its shutdown hook on a signal, and from close() otherwise
    try (ManagedProcesses processes = new ManagedProcesses()) {
      KafkaBroker broker = new KafkaBroker(dir, ClusterLibs.kafka(), processes);
      broker.start();
      Files.writeString(dir.resolve("pid"), Long.toString(broker.pid()));
      Files.writeString(dir.resolve("bootstrap"), broker.bootstrapServers());
      System.out.println("Kafka broker at " + broker.bootstrapServers() + ", pid " + broker.pid() + ", in " + dir);
      while (System.nanoTime() < deadline && broker.isAlive() && parent.map(ProcessHandle::isAlive).orElse(true)) {
        Thread.sleep(1000);
      }
      if (!broker.isAlive()) {
        throw new IllegalStateException("the broker exited; see " + dir.resolve("kafka.log"));
      }
      System.out.println(System.nanoTime() >= deadline ? "stopping the broker after " + maxLife
          : "stopping the broker: its benchmark ended");
    }
  }
}
