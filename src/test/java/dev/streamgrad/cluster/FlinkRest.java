package dev.streamgrad.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The calls of Flink's REST API that a user makes to submit, watch, stop and resume jobs. */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  FlinkRest(String base) {
    this.base = base;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(r.request().method() + " " + r.uri() + " -> " + r.statusCode() + ": " + r.body());
    }
    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  /** {@code POST /jars/upload}: returns the jar id used by {@code /jars/{id}/run}. */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "----streamgrad" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode r = send(HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    if (!"success".equals(r.path("status").asText())) {
      throw new IOException("upload failed: " + r);
    }
    return Path.of(r.path("filename").asText()).getFileName().toString();
  }

  /** {@code POST /jars/{id}/run}: runs the jar's main with {@code args}; returns the job id. */
  String runJar(String jarId, List<String> args, int parallelism, String savepointPath)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.putPOJO("programArgsList", args);
    body.put("parallelism", parallelism);
    if (savepointPath != null) {
      body.put("savepointPath", savepointPath);
    }
    return post("/jars/" + jarId + "/run", body).path("jobid").asText();
  }

  String jobState(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** Waits until the job is in one of {@code states}; fails fast when it failed instead. */
  void awaitJobState(String jobId, Set<String> states, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = jobState(jobId);
      if (states.contains(state)) {
        return;
      }
      if (state.equals("FAILED")) {
        throw new AssertionError("job " + jobId + " FAILED: " + get("/jobs/" + jobId + "/exceptions"));
      }
      Thread.sleep(300);
    }
    throw new AssertionError("job " + jobId + " is " + state + ", not " + states + " after " + timeout);
  }

  /** Waits until every task of the job is RUNNING (not only the job: tasks deploy after it). */
  void awaitAllTasksRunning(String jobId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode job = get("/jobs/" + jobId);
      if (job.path("state").asText().equals("FAILED")) {
        throw new AssertionError("job " + jobId + " FAILED: " + get("/jobs/" + jobId + "/exceptions"));
      }
      boolean all = job.path("vertices").size() > 0;
      for (JsonNode v : job.path("vertices")) {
        all &= v.path("status").asText().equals("RUNNING") || v.path("status").asText().equals("FINISHED");
      }
      if (all && job.path("state").asText().equals("RUNNING")) {
        return;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("tasks of " + jobId + " not running after " + timeout + ": " + get("/jobs/" + jobId));
  }

  long completedCheckpoints(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
  }

  long restored(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints").path("counts").path("restored").asLong();
  }

  /** {@code POST /jobs/{id}/stop}, then polls the operation; returns the savepoint's location. */
  String stopWithSavepoint(String jobId, Path dir, Duration timeout) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("targetDirectory", dir.toUri().toString());
    body.put("drain", false);
    body.put("formatType", "CANONICAL");
    String requestId = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = get("/jobs/" + jobId + "/savepoints/" + requestId);
      if (r.path("status").path("id").asText().equals("COMPLETED")) {
        JsonNode op = r.path("operation");
        if (op.has("failure-cause")) {
          throw new AssertionError("stop with savepoint failed: " + op.path("failure-cause"));
        }
        return op.path("location").asText();
      }
      Thread.sleep(300);
    }
    throw new AssertionError("stop with savepoint of " + jobId + " not done after " + timeout);
  }

  /** {@code PATCH /jobs/{id}?mode=cancel}. */
  void cancel(String jobId) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }
}
