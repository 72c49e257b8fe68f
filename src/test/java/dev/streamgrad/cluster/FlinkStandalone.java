package dev.streamgrad.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink standalone session cluster of separate JVMs on loopback, started the way Flink's
 * {@code bin/*.sh} scripts start it, from jars resolved out of Maven Central: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}), TaskManagers ({@code TaskManagerRunner}) and the
 * CLI front end ({@code CliFrontend}). Logs go to {@code <workDir>/log}.
 */
final class FlinkStandalone {
  static final String JAVA17_OPENS = String.join(" ",
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

  private final Path workDir;
  private final Path conf;
  private final Path logDir;
  private final String classpath;
  private final ManagedProcesses processes;
  private final int restPort;
  private final List<Process> taskManagers = new ArrayList<>();
  private Process jobManager;
  private FlinkRest rest;
  private int tmCount;

  FlinkStandalone(Path workDir, Path libDir, ManagedProcesses processes) throws IOException {
    this.workDir = workDir.toAbsolutePath();
    this.conf = this.workDir.resolve("conf");
    this.logDir = this.workDir.resolve("log");
    this.classpath = ClusterLibs.classpath(libDir);
    this.processes = processes;
    this.restPort = freePort();
    Files.createDirectories(conf);
    Files.createDirectories(logDir);
    Files.createDirectories(this.workDir.resolve("checkpoints"));
    Files.createDirectories(this.workDir.resolve("savepoints"));
    Files.createDirectories(this.workDir.resolve("upload"));
    writeConfig(freePort());
  }

  private void writeConfig(int rpcPort) throws IOException {
    String yaml = String.join("\n",
        "jobmanager:",
        "  bind-host: 127.0.0.1",
        "  rpc:",
        "    address: 127.0.0.1",
        "    port: " + rpcPort,
        "  memory:",
        "    process:",
        "      size: 1024m",
        "taskmanager:",
        "  bind-host: 127.0.0.1",
        "  host: 127.0.0.1",
        "  numberOfTaskSlots: 2",
        "  memory:",
        "    process:",
        "      size: 1280m",
        "rest:",
        "  address: 127.0.0.1",
        "  bind-address: 127.0.0.1",
        "  port: " + restPort,
        "web:",
        "  upload:",
        "    dir: " + workDir.resolve("upload"),
        "blob:",
        "  server:",
        "    port: \"0\"",
        "execution:",
        "  checkpointing:",
        "    dir: " + workDir.resolve("checkpoints").toUri(),
        "    savepoint-dir: " + workDir.resolve("savepoints").toUri(),
        // a lost TaskManager is noticed in seconds, not after the default 50 s
        "heartbeat:",
        "  interval: 2000",
        "  timeout: 8000",
        // bounded, so that a broken recovery fails the test instead of retrying forever
        "restart-strategy:",
        "  type: fixed-delay",
        "  fixed-delay:",
        "    attempts: 5",
        "    delay: 2 s",
        "pipeline:",
        "  generic-types: false",
        "");
    Files.writeString(conf.resolve("config.yaml"), yaml);
    String log4j = String.join("\n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = MainAppender",
        "appender.main.name = MainAppender",
        "appender.main.type = File",
        "appender.main.append = true",
        "appender.main.fileName = ${sys:log.file}",
        "appender.main.layout.type = PatternLayout",
        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        "");
    Files.writeString(conf.resolve("log4j.properties"), log4j);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  Path workDir() {
    return workDir;
  }

  FlinkRest rest() {
    return rest;
  }

  /** Starts the JobManager and {@code taskManagers} TaskManagers and waits until all registered. */
  void start(int count) throws IOException, InterruptedException {
    jobManager = launch("jobmanager", "GET_JM_RESOURCE_PARAMS",
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
    for (int i = 0; i < count; i++) {
      startTaskManager();
    }
    rest = new FlinkRest("http://127.0.0.1:" + restPort);
    awaitTaskManagers(count, Duration.ofSeconds(180));
  }

  /** Starts one more TaskManager (it registers by itself). */
  Process startTaskManager() throws IOException, InterruptedException {
    Process tm = launch("taskmanager-" + (tmCount++), "GET_TM_RESOURCE_PARAMS",
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    taskManagers.add(tm);
    return tm;
  }

  List<Process> taskManagers() {
    return taskManagers;
  }

  void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException("the JobManager exited with " + jobManager.exitValue() + "; see "
            + logDir.resolve("jobmanager.log"));
      }
      try {
        JsonNode tms = rest.get("/taskmanagers").path("taskmanagers");
        if (tms.size() >= count) {
          return;
        }
      } catch (IOException e) {
        // the REST endpoint is not up yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(count + " TaskManagers did not register in " + timeout + "; see " + logDir);
      }
      Thread.sleep(500);
    }
  }

  private Process launch(String name, String resourceCommand, String mainClass)
      throws IOException, InterruptedException {
    List<String> resources = bashJavaUtils(resourceCommand);
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(List.of(resources.get(0).trim().split("\\s+")));
    cmd.addAll(List.of(JAVA17_OPENS.split(" ")));
    cmd.add("-Dlog.file=" + logDir.resolve(name + ".log"));
    cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    cmd.addAll(List.of("-cp", classpath, mainClass, "--configDir", conf.toString()));
    cmd.addAll(List.of(resources.get(resources.size() - 1).trim().split("\\s+")));
    return processes.start(name, cmd, workDir, logDir.resolve(name + ".out"));
  }

  /** The memory flags Flink's scripts compute: first line JVM options, last line -D properties. */
  private List<String> bashJavaUtils(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(java(), "-cp", classpath,
        "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", conf.toString())
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes());
    }
    p.waitFor(60, TimeUnit.SECONDS);
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
        lines.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
      }
    }
    if (lines.size() < 2) {
      throw new IllegalStateException("BashJavaUtils " + command + " failed:\n" + out);
    }
    return lines;
  }

  /**
   * Submits a job jar with {@code flink run -d} (the CLI front end as its own process) and returns
   * the job id it printed.
   */
  String cliRun(Path jar, int parallelism, String savepoint, String... programArgs)
      throws IOException, InterruptedException {
    return cliRun(jar, parallelism, savepoint, List.of(), programArgs);
  }

  /** {@link #cliRun(Path, int, String, String...)} with {@code -C URL} for each of {@code classpaths}. */
  String cliRun(Path jar, int parallelism, String savepoint, List<Path> classpaths, String... programArgs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(List.of(JAVA17_OPENS.split(" ")));
    cmd.add("-Dlog.file=" + logDir.resolve("client.log"));
    cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    cmd.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend", "run", "-d",
        "-p", Integer.toString(parallelism)));
    if (savepoint != null) {
      cmd.addAll(List.of("-s", savepoint));
    }
    for (Path c : classpaths) {
      cmd.addAll(List.of("-C", c.toAbsolutePath().toUri().toString()));
    }
    cmd.add(jar.toAbsolutePath().toString());
    cmd.addAll(List.of(programArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
        .redirectErrorStream(true);
    pb.environment().put("FLINK_CONF_DIR", conf.toString());
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes());
    }
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("flink run did not return:\n" + out);
    }
    Files.writeString(logDir.resolve("client.out"), out, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Matcher m = JOB_ID.matcher(out);
    if (p.exitValue() != 0 || !m.find()) {
      throw new IllegalStateException("flink run exited with " + p.exitValue() + ":\n" + out);
    }
    return m.group(1);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
