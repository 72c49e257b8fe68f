package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunIdTest {
  @Test
  void runIdsSortByStartTimeAndDiffer() {
    String id = RunId.next();
    assertThat(id).matches("\\d{8}-\\d{6}-[0-9a-f]{6}");
    assertThat(RunId.next()).isNotEqualTo(id);
  }

  @Test
  void theRunIdIsFoundInTheNamesOfEverySinksFiles() {
    String id = "20261129-084401-3f2a9c";
    String writer = "2133901b-cb13-45be-a14d-73abb44836bc";
    assertThat(RunId.ofFileName("sink-" + id + "-" + writer + "-0.avro")).contains(id);
    assertThat(RunId.ofFileName("dead-letter-sink-" + id + "-" + writer + "-12.avro")).contains(id);
    assertThat(RunId.ofFileName("predict-sink-" + id + "-" + writer + "-3.avro")).contains(id);
    assertThat(RunId.ofFileName(".sink-" + id + "-" + writer + "-1.avro.inprogress.f9f3f895-7abc")).contains(id);
  }

  @Test
  void filesWithoutARunIdHaveNone() {
    assertThat(RunId.ofFileName("sink-2133901b-cb13-45be-a14d-73abb44836bc-0.avro")).isEmpty();
    assertThat(RunId.ofFileName("labeled.avro")).isEmpty();
    assertThat(RunId.ofFileName("20261129-084401-3f2a9c.avro")).isEmpty();
  }
}
