package dev.streamgrad.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar that {@code mvn package} builds for {@code flink run}: our code and every library a
 * cluster lacks, none of the Flink runtime the cluster provides.
 */
class JobJarITCase {
  static final Path JOB_JAR = Path.of("target", "streamgrad-job.jar");
  private static List<String> entries;

  @BeforeAll
  static void readJar() throws IOException {
    assertThat(JOB_JAR).as("built by mvn package (maven-shade-plugin)").isRegularFile();
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      entries = jar.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  void manifestStartsTheCli() throws IOException {
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.streamgrad.cli.Main");
    }
  }

  @Test
  void bundlesOurCodeAndEveryLibraryTheClusterLacks() {
    assertThat(entries).contains(
        "dev/streamgrad/cli/Main.class",
        "dev/streamgrad/kafka/SingleObjectCodec.class",
        "dev/streamgrad/avro/LabeledTensorRecord.class",
        "schemas/versions/LabeledTensorRecord-v1.avsc",
        "org/apache/flink/connector/kafka/source/KafkaSource.class",
        "org/apache/kafka/clients/producer/KafkaProducer.class",
        "org/apache/flink/formats/avro/typeutils/AvroTypeInfo.class",
        "org/apache/avro/Schema.class",
        "org/jtransforms/fft/DoubleFFT_2D.class",
        "picocli/CommandLine.class",
        "com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class",
        "com/fasterxml/jackson/databind/ObjectMapper.class");
  }

  @Test
  void leavesOutTheFlinkRuntimeAndLogging() {
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/runtime/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/environment/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/api/common/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/client/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/shaded/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/rocksdb/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/slf4j/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/logging/log4j/"));
    assertThat(entries).noneMatch(e -> e.startsWith("com/esotericsoftware/kryo/"));
  }

  @Test
  void servicesFilesAreMergedNotOverwritten() throws IOException {
    try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
      String factories = new String(jar.getInputStream(
          jar.getEntry("META-INF/services/org.apache.flink.table.factories.Factory")).readAllBytes(),
          StandardCharsets.UTF_8);
      String layers = new String(jar.getInputStream(
          jar.getEntry("META-INF/services/dev.streamgrad.layers.LayerType")).readAllBytes(), StandardCharsets.UTF_8);
      // the built-in layers register as an extension's do, so a cluster finds them by name
      assertThat(layers.lines()).contains("dev.streamgrad.layers.Conv2dLayer", "dev.streamgrad.layers.SequentialLayer",
          "dev.streamgrad.layers.FftMagnitudeLayer", "dev.streamgrad.layers.BadFftLayer");
      // contributed by three different jars
      assertThat(factories).contains(
          "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory",
          "org.apache.flink.formats.avro.AvroFormatFactory",
          "org.apache.flink.connector.file.table.FileSystemTableFactory");
    }
  }

  @Test
  void noSignatureFilesThatWouldInvalidateTheMergedJar() throws IOException {
    assertThat(entries).noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
    assertThat(Files.size(JOB_JAR)).isBetween(5L << 20, 80L << 20);
  }
}
