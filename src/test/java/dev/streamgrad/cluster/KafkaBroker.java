package dev.streamgrad.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process) on loopback,
 * from the {@code kafka_2.13} jars: the storage is formatted with {@code StorageTool}, then
 * {@code kafka.Kafka} runs as its own JVM.
 */
final class KafkaBroker {
  private final Path dir;
  private final String classpath;
  private final ManagedProcesses processes;
  private final int port;
  private Process process;

  KafkaBroker(Path dir, Path libDir, ManagedProcesses processes) throws IOException {
    this.dir = dir.toAbsolutePath();
    this.classpath = ClusterLibs.classpath(libDir);
    this.processes = processes;
    this.port = FlinkStandalone.freePort();
    Files.createDirectories(this.dir);
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker process's id (after {@link #start}). */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  void start() throws Exception {
    int controllerPort = FlinkStandalone.freePort();
    Path props = dir.resolve("server.properties");
    Files.writeString(props, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=2",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        ""));
    Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = File",
        "appender.file.name = File",
        "appender.file.type = File",
        "appender.file.fileName = " + dir.resolve("kafka.log"),
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c - %m%n",
        ""));
    String clusterId = Uuid.randomUuid().toString();
    List<String> format = command("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString());
    Process f = new ProcessBuilder(format).redirectErrorStream(true).start();
    String out;
    try (InputStream in = f.getInputStream()) {
      out = new String(in.readAllBytes());
    }
    if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
      f.destroyForcibly();
      throw new IllegalStateException("formatting Kafka storage failed:\n" + out);
    }
    process = processes.start("kafka", command("kafka.Kafka", props.toString()), dir, dir.resolve("kafka.out"));
    awaitReady(Duration.ofSeconds(180));
  }

  private List<String> command(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Xms128m",
        "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toUri(),
        "-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka exited with " + process.exitValue() + "; see " + dir);
      }
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("Kafka not ready after " + timeout + "; see " + dir, last);
  }

  Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    return Admin.create(p);
  }

  void createTopics(int partitions, String... topics) throws Exception {
    List<NewTopic> list = new ArrayList<>();
    for (String t : topics) {
      list.add(new NewTopic(t, partitions, (short) 1).configs(Map.of()));
    }
    try (Admin admin = admin()) {
      admin.createTopics(list).all().get(30, TimeUnit.SECONDS);
    }
  }
}
