package dev.streamgrad.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * docker-compose.yml checked against the project without a Docker engine: image versions match the
 * pom, every service and mounted path it refers to exists, and what it runs is consistent.
 */
class DockerComposeTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path COMPOSE = Path.of("docker-compose.yml");
  private static JsonNode services;
  private static JsonNode compose;

  @BeforeAll
  static void read() throws IOException {
    compose = YAML.readTree(COMPOSE.toFile());
    services = compose.path("services");
  }

  static String pomProperty(String name) throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    return pom.getElementsByTagName(name).item(0).getTextContent().trim();
  }

  @Test
  void hasTheServicesOfALocalClusterWithKafka() {
    assertThat(fieldNames(services)).contains(
        "kafka", "jobmanager", "taskmanager", "producer", "submitter", "topics", "flink-data-init", "prometheus");
    assertThat(services.path("jobmanager").path("command").asText()).isEqualTo("jobmanager");
    assertThat(services.path("taskmanager").path("command").asText()).isEqualTo("taskmanager");
    assertThat(services.path("jobmanager").path("ports").toString()).contains("8081:8081");
  }

  @Test
  void imagesMatchThePomVersions() throws Exception {
    String flinkImage = "flink:" + pomProperty("flink.version") + "-scala_2.12-java17";
    String kafkaImage = "apache/kafka:" + pomProperty("kafka.version");
    String prometheusImage = services.path("prometheus").path("image").asText();
    assertThat(prometheusImage).matches("prom/prometheus:v[0-9]+\\.[0-9]+\\.[0-9]+");
    for (Map.Entry<String, JsonNode> s : entries(services)) {
      String image = s.getValue().path("image").asText();
      assertThat(image).as(s.getKey()).isIn(flinkImage, kafkaImage, prometheusImage);
    }
    assertThat(services.path("jobmanager").path("image").asText()).isEqualTo(flinkImage);
    assertThat(services.path("kafka").path("image").asText()).isEqualTo(kafkaImage);
  }

  @Test
  void everyDependencyIsAServiceAndEveryVolumeIsDeclaredOrExists() throws Exception {
    for (Map.Entry<String, JsonNode> s : entries(services)) {
      JsonNode deps = s.getValue().path("depends_on");
      List<String> names = deps.isArray() ? texts(deps) : fieldNames(deps);
      assertThat(fieldNames(services)).as(s.getKey() + " depends_on").containsAll(names);
      for (JsonNode v : s.getValue().path("volumes")) {
        String source = v.asText().split(":")[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          assertThat(hostPathExistsOrIsBuilt(source)).as(s.getKey() + " mounts " + source).isTrue();
        } else {
          assertThat(fieldNames(compose.path("volumes"))).as(s.getKey() + " volume " + source).contains(source);
        }
      }
    }
  }

  /** The job jar exists after `mvn package`; the test checks that the pom builds it there. */
  private static boolean hostPathExistsOrIsBuilt(String source) throws IOException {
    if (source.equals("./target/streamgrad-job.jar")) {
      return Files.readString(Path.of("pom.xml")).contains("<outputFile>${project.build.directory}/streamgrad-job.jar</outputFile>");
    }
    return Files.exists(Path.of(source));
  }

  @Test
  void checkpointsAndSavepointsAreOnAVolumeSharedByJobManagerAndTaskManager() {
    for (String name : List.of("jobmanager", "taskmanager")) {
      JsonNode s = services.path(name);
      Map<String, String> props = flinkProperties(s);
      assertThat(props.get("execution.checkpointing.dir")).startsWith("file:///flink-data/");
      assertThat(props.get("execution.checkpointing.savepoint-dir")).startsWith("file:///flink-data/");
      assertThat(props.get("jobmanager.rpc.address")).isEqualTo("jobmanager");
      assertThat(texts(s.path("volumes"))).contains("flink-data:/flink-data");
    }
  }

  @Test
  void everyPublishedPortIsOnLoopbackUnlessTheUserSaysOtherwise() {
    // "8081:8081" would publish on every interface of the user's machine; the address may come from
    // STREAMGRAD_PUBLISH_ADDRESS (docs/cluster.md#exposing-the-stack) but defaults to 127.0.0.1
    Pattern published = Pattern.compile("(\\$\\{STREAMGRAD_PUBLISH_ADDRESS:-([^}]*)\\}|[0-9.]+):(\\d+):(\\d+)");
    List<String> ports = new ArrayList<>();
    for (Map.Entry<String, JsonNode> s : entries(services)) {
      for (String p : texts(s.getValue().path("ports"))) {
        Matcher m = published.matcher(p);
        assertThat(m.matches()).as(s.getKey() + " publishes " + p + " without an address").isTrue();
        String address = m.group(2) != null ? m.group(2) : m.group(1);
        assertThat(address).as(s.getKey() + " " + p).isEqualTo("127.0.0.1");
        ports.add(m.group(3));
      }
    }
    assertThat(ports).containsExactlyInAnyOrder("8081", "9094", "9090");
  }

  @Test
  void kafkaKeepsItsLogsOnANamedVolume() {
    JsonNode kafka = services.path("kafka");
    String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText();
    assertThat(logDirs).as("KAFKA_LOG_DIRS").startsWith("/");
    String volume = null;
    for (String v : texts(kafka.path("volumes"))) {
      String[] parts = v.split(":");
      if (logDirs.equals(parts[1]) || logDirs.startsWith(parts[1] + "/")) {
        volume = parts[0];
      }
    }
    assertThat(volume).as("a volume mounted at or above " + logDirs).isNotNull();
    assertThat(fieldNames(compose.path("volumes"))).as("named volume").contains(volume);
  }

  @Test
  void theClusterRefusesJarUploadsAndReportsToPrometheus() throws IOException {
    assertThat(flinkProperties(services.path("jobmanager"))).containsEntry("web.submit.enable", "false");
    String scrape = Files.readString(hostPath(services.path("prometheus"), "/etc/prometheus/prometheus.yml"));
    JsonNode config = YAML.readTree(scrape);
    List<String> targets = new ArrayList<>();
    for (JsonNode job : config.path("scrape_configs")) {
      job.path("static_configs").forEach(c -> targets.addAll(texts(c.path("targets"))));
      job.path("dns_sd_configs").forEach(c -> texts(c.path("names"))
          .forEach(n -> targets.add(n + ":" + c.path("port").asText())));
    }
    for (String name : List.of("jobmanager", "taskmanager")) {
      Map<String, String> props = flinkProperties(services.path(name));
      assertThat(props).as(name).containsEntry("metrics.reporter.prom.factory.class",
          "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
      assertThat(targets).as("prometheus scrapes " + name).contains(name + ":" + props.get("metrics.reporter.prom.port"));
    }
  }

  @Test
  void flinkPropertiesHaveNoSpacesInValues() {
    // the flink image's entrypoint strips whitespace in FLINK_PROPERTIES lines: "2 s" would become "2s"
    // at best; keep every value one token
    for (Map.Entry<String, JsonNode> s : entries(services)) {
      String text = s.getValue().path("environment").path("FLINK_PROPERTIES").asText();
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          assertThat(line).as(s.getKey()).matches("[A-Za-z0-9._-]+: \\S+");
        }
      }
    }
  }

  @Test
  void submitterRunsTheJobJarWithAMountedSpecAndProducerWritesItsInputTopic() throws Exception {
    List<String> cmd = texts(services.path("submitter").path("command"));
    assertThat(cmd.subList(0, 3)).containsExactly("flink", "run", "-d");
    assertThat(cmd).contains("/opt/streamgrad/streamgrad-job.jar");
    String spec = cmd.get(cmd.size() - 1);
    assertThat(cmd.get(cmd.size() - 2)).isEqualTo("run");
    Path hostSpec = hostPath(services.path("submitter"), spec);
    assertThat(hostSpec).isRegularFile();

    // the spec the submitter runs is valid (as `streamgrad run` checks it before starting anything)
    JobSpec parsed = JobSpecParser.parse(hostSpec, List.of());
    assertThat(parsed.source().type()).isEqualTo("kafka");
    assertThat(parsed.sink().type()).isEqualTo("kafka");
    assertThat(parsed.checkpoints().dir()).as("checkpoints on the shared volume").startsWith("file:///flink-data/");
    JsonNode job = YAML.readTree(hostSpec.toFile());
    String labeledTopic = job.path("source").path("topic").asText();
    List<String> producer = texts(services.path("producer").path("entrypoint"));
    assertThat(producer).contains("--kafka=" + job.path("source").path("bootstrapServers").asText(),
        "--labeled-topic=" + labeledTopic);
    assertThat(advertisedInsideCompose()).isEqualTo(job.path("source").path("bootstrapServers").asText());
    String topicsScript = services.path("topics").path("entrypoint").toString();
    assertThat(topicsScript).contains(labeledTopic, job.path("sink").path("topic").asText(),
        job.path("deadLetters").path("topic").asText());
  }

  private static String advertisedInsideCompose() {
    Matcher m = Pattern.compile("PLAINTEXT://([^,]+)")
        .matcher(services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** Maps a container path to the host path of its bind mount. */
  static Path hostPath(JsonNode service, String containerPath) {
    for (String v : texts(service.path("volumes"))) {
      String[] parts = v.split(":");
      if (parts[0].startsWith(".") && containerPath.startsWith(parts[1])) {
        return Path.of(parts[0] + containerPath.substring(parts[1].length()));
      }
    }
    throw new AssertionError(containerPath + " is not in a bind mount of " + service);
  }

  static Map<String, String> flinkProperties(JsonNode service) {
    Map<String, String> props = new LinkedHashMap<>();
    for (String line : service.path("environment").path("FLINK_PROPERTIES").asText().split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        props.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return props;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static List<Map.Entry<String, JsonNode>> entries(JsonNode object) {
    return new ArrayList<>(object.properties());
  }
}
