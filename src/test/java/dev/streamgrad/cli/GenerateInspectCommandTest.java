package dev.streamgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.job.io.SyntheticRecords;
import dev.streamgrad.job.spec.GeneratorSpec;
import dev.streamgrad.records.TensorCodec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateInspectCommandTest {
  @TempDir
  Path dir;

  private static String[] run(int expectedCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expectedCode);
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void generateWritesTheGeneratorsRecordsAndInspectPrintsThemAsJson() throws Exception {
    run(0, "generate", "--out", dir.toString(), "--labeled", "6", "--unlabeled", "4", "--keys", "a,b",
        "--shape", "5x7", "--kernel", "2x3", "--seed", "9", "--noise", "0");
    String out = run(0, "inspect", dir.resolve("labeled.avro").toString())[0];
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(6);

    double[][] drawn = GeneratorSpec.drawTrueFilter(10, 2, 3);
    GeneratorSpec g = new GeneratorSpec(6, 0, List.of("a", "b"), new int[] {5, 7}, 9, 0,
        dev.streamgrad.avro.DType.FLOAT64, Arrays.copyOf(drawn, 2), drawn[2][0]);
    SyntheticRecords expected = new SyntheticRecords(g);
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < 6; i++) {
      JsonNode r = json.readTree(lines.get(i));
      assertThat(r.get("model").asText()).isEqualTo(i % 2 == 0 ? "a" : "b");
      assertThat(r.get("seq").asLong()).isEqualTo(i / 2);
      assertThat(r.get("eventTime").asText()).isEqualTo(java.time.Instant.ofEpochMilli(SyntheticRecords.EPOCH + i).toString());
      assertThat(r.at("/input/shape").toString()).isEqualTo("[5,7]");
      assertThat(r.at("/target/shape").toString()).isEqualTo("[4,5]");
      assertThat(r.at("/input/dtype").asText()).isEqualTo("FLOAT64");
      Tensor want = TensorCodec.decode(expected.labeled(i).getTarget());
      for (int k = 0; k < 20; k++) {
        assertThat(r.at("/target/values/" + k).asDouble()).isEqualTo(want.buffer()[k]);
      }
    }
    assertThat(run(0, "inspect", dir.toString(), "--count")[0])
        .contains("labeled.avro: 6 records", "unlabeled.avro: 4 records");
    assertThat(run(0, "inspect", dir.resolve("unlabeled.avro").toString(), "--limit", "1")[0].lines()).hasSize(1);
  }

  @Test
  void inspectReportsMissingAndUnreadableFiles() throws Exception {
    assertThat(run(2, "inspect", dir.resolve("nope.avro").toString())[1]).contains("nope.avro: no such file or folder");
    Path junk = Files.writeString(dir.resolve("junk.avro"), "not avro");
    assertThat(run(1, "inspect", junk.toString())[1]).contains(junk + " at byte offset 0",
        "not a readable Avro container file");
  }

  @Test
  void inspectPrintsEveryReadableRecordOfADamagedFileAndReportsTheDamage() throws Exception {
    // deflate: damage inside compressed data is detected (in an uncompressed file, bytes inside a
    // float are just other floats)
    run(0, "generate", "--out", dir.toString(), "--labeled", "3000", "--unlabeled", "0", "--codec", "deflate");
    byte[] bytes = Files.readAllBytes(dir.resolve("labeled.avro"));
    java.util.Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 200, (byte) 0xff);
    Path damaged = Files.write(dir.resolve("damaged.avro"), bytes);
    String[] r = run(1, "inspect", damaged.toString());
    assertThat(r[1].lines()).singleElement().asString().startsWith(damaged + " at byte offset ")
        .contains("bytes damaged");
    assertThat(r[0].lines().count()).isBetween(2900L, 2999L);
    assertThat(r[0].lines()).last().asString().startsWith("{\"model\":\"model-0\",\"seq\":2999,");
    assertThat(run(1, "inspect", "--count", damaged.toString())[0]).matches(".*damaged.avro: 29\\d\\d records,"
        + " 1 damaged regions\\s*");
  }

  @Test
  void generateChecksItsOptions() {
    assertThat(run(2, "generate", "--out", dir.toString(), "--shape", "2x2", "--kernel", "3x3")[1])
        .contains("--kernel 3x3 is larger than --shape 2x2");
    assertThat(run(2, "generate", "--out", dir.toString(), "--dtype", "int8")[1])
        .contains("--dtype must be float32 or float64, got int8");
  }
}
