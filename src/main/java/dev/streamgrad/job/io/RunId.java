package dev.streamgrad.job.io;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of one run of a job, {@code yyyyMMdd-HHmmss-xxxxxx} (UTC start time and six random hex
 * digits, e.g. {@code 20261129-084401-3f2a9c}): sortable by start time, and part of the name of
 * every file an {@code avro-file} sink writes ({@code sink-<run id>-<writer id>-<n>.avro}, see
 * {@link Sinks}), so that the files of runs that share a folder stay apart and {@code inspect} can
 * tell which run a record came from.
 */
public final class RunId {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  /** A run id inside a part file's name: after the sink's uid and a dash, before the writer's id. */
  private static final Pattern IN_FILE_NAME = Pattern.compile("^[.]?[a-z-]+?-(\\d{8}-\\d{6}-[0-9a-f]{6})-");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunId() {}

  /** A new run id for a run that starts now. */
  public static String next() {
    return TIME.format(Instant.now()) + String.format(Locale.ROOT, "-%06x", RANDOM.nextInt(1 << 24));
  }

  /** The run id in the name of a file that a sink wrote (also an in-progress one), if it has one. */
  public static Optional<String> ofFileName(String fileName) {
    Matcher m = IN_FILE_NAME.matcher(fileName);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
