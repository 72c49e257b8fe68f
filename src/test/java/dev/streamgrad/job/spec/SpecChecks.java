package dev.streamgrad.job.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.config.SpecException;
import java.util.List;

/** Parsing spec text as {@code jobs/x.yaml} in tests, and the assertion that it fails with a message. */
final class SpecChecks {
  private SpecChecks() {}

  static JobSpec parse(String yaml, String... sets) throws SpecException {
    return JobSpecParser.parse("jobs/x.yaml", "x", yaml, List.of(sets));
  }

  static void fails(String yaml, String message, String... sets) {
    assertThatThrownBy(() -> parse(yaml, sets)).isInstanceOf(SpecException.class).hasMessage(message);
  }
}
