package dev.streamgrad.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Jars of the Flink cluster and the Kafka broker, resolved from Maven by the helper poms under
 * {@code src/test/cluster-libs} into {@code target/cluster-libs/<name>}, once per set of versions.
 * The versions and Maven's settings come from the project's pom through failsafe's system
 * properties, so the cluster always runs the project's Flink version.
 */
final class ClusterLibs {
  private ClusterLibs() {}

  static Path flink() throws IOException, InterruptedException {
    return resolve("flink", "-Dflink.version=" + prop("streamgrad.flink.version"),
        "-Dlog4j.version=" + prop("streamgrad.log4j.version"));
  }

  static Path kafka() throws IOException, InterruptedException {
    return resolve("kafka", "-Dkafka.version=" + prop("streamgrad.kafka.version"),
        "-Dlog4j.version=" + prop("streamgrad.log4j.version"));
  }

  /** A classpath of every jar in {@code dir}. */
  static String classpath(Path dir) throws IOException {
    List<String> jars = new ArrayList<>();
    try (var files = Files.list(dir)) {
      files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> jars.add(f.toAbsolutePath().toString()));
    }
    return String.join(File.pathSeparator, jars);
  }

  static String prop(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank() || v.startsWith("${")) {
      throw new IllegalStateException("system property " + name + " is not set: run through `mvn verify`"
          + " (failsafe passes it from the pom)");
    }
    return v;
  }

  private static synchronized Path resolve(String name, String... versionArgs) throws IOException, InterruptedException {
    Path out = Path.of("target", "cluster-libs", name).toAbsolutePath();
    Path marker = out.resolve(".resolved");
    String key = String.join(" ", versionArgs);
    if (Files.exists(marker) && Files.readString(marker).equals(key)) {
      return out;
    }
    Files.createDirectories(out);
    try (var old = Files.list(out)) {
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    List<String> cmd = new ArrayList<>(List.of(mvn(), "-B", "-q",
        "-f", Path.of("src", "test", "cluster-libs", name, "pom.xml").toAbsolutePath().toString(),
        "org.apache.maven.plugins:maven-dependency-plugin:" + prop("streamgrad.dependency.plugin.version")
            + ":copy-dependencies",
        "-DoutputDirectory=" + out));
    cmd.addAll(List.of(versionArgs));
    String repo = System.getProperty("streamgrad.maven.repo");
    if (repo != null && !repo.isBlank() && !repo.startsWith("${")) {
      cmd.add("-Dmaven.repo.local=" + repo);
    }
    Path log = out.getParent().resolve(name + "-resolve.log");
    // offline first (quick when the jars are in the local repository), then with the network
    List<String> offline = new ArrayList<>(cmd);
    offline.add("-o");
    if (run(offline, log) != 0 && run(cmd, log) != 0) {
      throw new IllegalStateException("resolving " + name + " jars failed (" + String.join(" ", cmd) + "):\n"
          + Files.readString(log));
    }
    Files.writeString(marker, key);
    return out;
  }

  private static int run(List<String> cmd, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("resolving jars timed out; see " + log);
    }
    return p.exitValue();
  }

  private static String mvn() {
    String home = System.getProperty("maven.home");
    if (home != null && !home.isBlank() && !home.startsWith("${")) {
      Path bin = Path.of(home, "bin", "mvn");
      if (Files.isExecutable(bin)) {
        return bin.toString();
      }
    }
    return "mvn";
  }
}
