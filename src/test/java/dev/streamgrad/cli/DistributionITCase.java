package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code mvn package} ships and how it starts: the distribution (folder and archive, lib/ made
 * from the runtime dependencies), {@code bin/streamgrad} from any working directory and through a
 * symbolic link, help without Flink's classes, the checkout's {@code ./streamgrad} building only
 * when its sources changed, and the jars that plain {@code java -jar} cannot run explaining why.
 */
class DistributionITCase {
  @TempDir
  Path tmp;

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void theFolderAndTheArchiveHoldTheLauncherConfigAndTheRuntimeLibraries() throws Exception {
    assertThat(names(Commands.DIST)).contains("bin", "conf", "lib", "jobs", "schemas", "samples", "README.md");
    assertThat(Commands.LAUNCHER).isExecutable();
    assertThat(Files.readString(Commands.DIST.resolve("conf/jvm.options"))).contains("-Xmx", "--add-opens=");
    List<String> lib = names(Commands.DIST.resolve("lib"));
    assertThat(lib).contains("streamgrad-" + Commands.VERSION + ".jar", "flink-runtime-2.3.0.jar",
        "flink-clients-2.3.0.jar", "flink-connector-kafka-5.0.0-2.2.jar", "picocli-4.7.7.jar", "JTransforms-3.2.jar");
    assertThat(lib).as("test libraries stay out").noneMatch(j -> j.startsWith("junit") || j.startsWith("assertj")
        || j.startsWith("flink-test-utils") || j.contains("-tests") || j.startsWith("jmh"));

    Path archive = Path.of("target", "streamgrad-" + Commands.VERSION + ".tar.gz");
    Commands.Result tar = Commands.run(tmp, Map.of(), List.of("tar", "tzvf", archive.toAbsolutePath().toString()));
    assertThat(tar.code()).as(tar.describe()).isZero();
    String base = "streamgrad-" + Commands.VERSION + "/";
    assertThat(tar.out()).containsPattern("-rwxr-xr-x .* " + base + "bin/streamgrad");
    for (String jar : lib) {
      assertThat(tar.out()).contains(base + "lib/" + jar);
    }
  }

  @Test
  void helpAndVersionAnswerFromAnyFolderAndThroughALinkWithoutLoadingFlink() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("streamgrad"), Commands.LAUNCHER);
    Path classes = tmp.resolve("classes.log");
    Commands.Result help = Commands.run(tmp, Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes),
        List.of(link.toString(), "--help"));
    Files.delete(link); // before JUnit's clean-up, which warns about links that leave the folder
    assertThat(help.code()).as(help.describe()).isZero();
    assertThat(help.out()).startsWith("Usage: streamgrad ").contains("run", "inspect", "completion", "Exit codes:");
    assertThat(help.err()).isEmpty();
    // Flink's classes are what makes a JVM slow to start; help and version need none of them
    assertThat(Files.readAllLines(classes)).isNotEmpty().noneMatch(l -> l.contains(" org.apache.flink."));

    for (String command : List.of("run", "inspect", "generate", "bench", "tutorial", "completion")) {
      Commands.Result v = Commands.streamgrad(tmp, command, "--version");
      assertThat(v.code()).as(v.describe()).isZero();
      assertThat(v.out()).startsWith("streamgrad " + Commands.VERSION + System.lineSeparator() + "Flink 2.3.0, Java ");
    }
  }

  @Test
  void theJarsThatJavaCannotRunAloneSayWhatToRunInstead() throws Exception {
    Path jobJar = Path.of("target", "streamgrad-job.jar").toAbsolutePath();
    Path plainJar = Path.of("target", "streamgrad-" + Commands.VERSION + ".jar").toAbsolutePath();
    for (List<String> command : List.of(
        List.of(Commands.JAVA.toString(), "-jar", jobJar.toString()),
        List.of(Commands.JAVA.toString(), "-jar", jobJar.toString(), "run", "jobs/train-conv2d.yaml"),
        List.of(Commands.JAVA.toString(), "-jar", jobJar.toString(), "inspect", "samples"),
        List.of(Commands.JAVA.toString(), "-cp", jobJar.toString(), "dev.streamgrad.cli.Main", "--help"),
        List.of(Commands.JAVA.toString(), "-jar", plainJar.toString(), "--version"))) {
      Commands.Result r = Commands.run(tmp, Map.of(), command);
      assertThat(r.code()).as(r.describe()).isEqualTo(2);
      assertThat(r.err()).as(r.describe()).contains("flink run ", "streamgrad run jobs/train-conv2d.yaml",
          "./streamgrad in a source checkout, bin/streamgrad in the distribution")
          .doesNotContain("Exception", "Error", "\tat ");
      assertThat(r.out()).isEmpty();
    }
    assertThat(Commands.run(tmp, Map.of(), List.of(Commands.JAVA.toString(), "-jar", jobJar.toString())).err())
        .startsWith(jobJar + " is streamgrad's Flink job jar");
  }

  /**
   * {@code ./streamgrad} of the checkout, in a copy of the checkout's layout whose Maven is a fake
   * that records its calls: java runs directly while nothing changed, Maven first when a source is
   * newer than the last build or nothing was built, and a failed build is reported with exit code 1.
   */
  @Test
  void theCheckoutLauncherBuildsOnlyWhenItsSourcesChanged() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("checkout"));
    Files.copy(Path.of("streamgrad"), root.resolve("streamgrad"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Files.createDirectories(root.resolve("schemas"));
    Path conf = Files.createDirectories(root.resolve("src/main/dist/conf"));
    Files.copy(Path.of("src/main/dist/conf/log4j2.properties"), conf.resolve("log4j2.properties"));
    Path launcher = Files.createDirectories(root.resolve("target/launcher"));
    Files.createSymbolicLink(root.resolve("target/classes"), Path.of("target/classes").toAbsolutePath());
    Files.copy(Path.of("target/launcher/classpath"), launcher.resolve("classpath"));
    Files.copy(Path.of("target/launcher/jvm.options"), launcher.resolve("jvm.options"));
    FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path p : List.of(root.resolve("pom.xml"), root.resolve("schemas"), conf.resolve("log4j2.properties"),
        conf, conf.getParent(), conf.getParent().getParent())) {
      Files.setLastModifiedTime(p, hourAgo);
    }
    Path calls = tmp.resolve("maven-calls");
    Path mvn = Files.writeString(tmp.resolve("fake-mvn"), "#!/bin/sh\necho \"$@\" >> " + calls + "\n"
        + "[ -f " + tmp.resolve("fail") + " ] && { echo '[ERROR] BUILD FAILURE'; exit 1; }\nexit 0\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = Map.of("MVN", mvn.toString());
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    List<String> version = List.of(root.resolve("streamgrad").toString(), "--version");

    Commands.Result first = Commands.run(elsewhere, env, version);
    assertThat(first.code()).as(first.describe()).isZero();
    assertThat(first.err()).contains("streamgrad: building with Maven (first use");
    assertThat(first.out()).startsWith("streamgrad " + Commands.VERSION);
    assertThat(Files.readAllLines(calls)).containsExactly("-q -B compile");

    Commands.Result again = Commands.run(elsewhere, env, version);
    assertThat(again.code()).as(again.describe()).isZero();
    assertThat(again.err()).isEmpty();
    assertThat(Files.readAllLines(calls)).as("no Maven while nothing changed").hasSize(1);

    Files.writeString(root.resolve("src/main/Changed.java"), "class Changed {}");
    Files.writeString(tmp.resolve("fail"), "");
    Commands.Result failed = Commands.run(elsewhere, env, version);
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).contains("[ERROR] BUILD FAILURE", "streamgrad: the build failed");
    assertThat(failed.out()).isEmpty();

    Files.delete(tmp.resolve("fail"));
    Commands.Result rebuilt = Commands.run(elsewhere, env, version);
    assertThat(rebuilt.code()).as(rebuilt.describe()).isZero();
    assertThat(Files.readAllLines(calls)).hasSize(3);
    Files.delete(root.resolve("target/classes")); // the link, before JUnit's clean-up
  }
}
