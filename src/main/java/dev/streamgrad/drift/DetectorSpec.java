package dev.streamgrad.drift;

import dev.streamgrad.config.Param;
import dev.streamgrad.config.Section;
import dev.streamgrad.config.SpecException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which drift detector a job spec's {@code train.drift} names and its parameters, River's names in
 * camel case with River's defaults, each declared once ({@link Param}). Immutable; serializable
 * because Flink ships it inside the trainer.
 */
public sealed interface DetectorSpec extends Serializable {
  /** The name specs use in {@code detector}. */
  String type();

  /** A fresh detector with these parameters. */
  DriftDetector create();

  /**
   * Reads the detector's keys of {@code s} (the section's other keys are {@code others}, e.g. the
   * reaction), {@code detector} picking the member.
   */
  static DetectorSpec read(Section s, String... others) throws SpecException {
    String type = s.choice("detector", null, "page-hinkley", "adwin");
    List<Param<?>> params = type.equals("adwin") ? AdwinSpec.PARAMS : PageHinkleySpec.PARAMS;
    List<String> allowed = new ArrayList<>(List.of(Param.keys("detector", params)));
    allowed.addAll(List.of(others));
    if (!type.equals("adwin")) {
      allowed.add(PageHinkleySpec.MODE);
    }
    s.allow(allowed.toArray(new String[0]));
    DetectorSpec spec = type.equals("adwin") ? readAdwin(s) : readPageHinkley(s);
    try {
      spec.create();
    } catch (IllegalArgumentException e) {
      throw s.error("detector", e.getMessage());
    }
    return spec;
  }

  private static DetectorSpec readAdwin(Section s) throws SpecException {
    return new AdwinSpec(AdwinSpec.DELTA.read(s), AdwinSpec.CLOCK.read(s),
          AdwinSpec.MAX_BUCKETS.read(s), AdwinSpec.MIN_WINDOW_LENGTH.read(s),
          AdwinSpec.GRACE_PERIOD.read(s));
  }

  private static DetectorSpec readPageHinkley(Section s) throws SpecException {
    String mode = s.choice(PageHinkleySpec.MODE, "both", "up", "down", "both");
    return new PageHinkleySpec(PageHinkleySpec.MIN_INSTANCES.read(s), PageHinkleySpec.DELTA.read(s),
        PageHinkleySpec.THRESHOLD.read(s), PageHinkleySpec.ALPHA.read(s), PageHinkley.Mode.of(mode));
  }

  /** {@code detector: page-hinkley}: River's {@code drift.PageHinkley}. */
  record PageHinkleySpec(int minInstances, double delta, double threshold, double alpha, PageHinkley.Mode mode)
      implements DetectorSpec {
    public static final Param<Integer> MIN_INSTANCES = Param.intValue("minInstances",
        "values seen before a drift can be reported", 30, 1);
    public static final Param<Double> DELTA = Param.number("delta", "magnitude of change that is tolerated", 0.005,
        Param.atLeast(0));
    public static final Param<Double> THRESHOLD = Param.number("threshold", "change detection threshold (lambda)",
        50.0, Param.above(0));
    public static final Param<Double> ALPHA = Param.number("alpha", "forgetting factor of the sums, in (0, 1]",
        1 - 0.0001, v -> v > 0 && v <= 1 ? null : "must be in (0, 1], got " + Section.format(v));
    /** Besides {@link #PARAMS}: {@code mode}, one of up, down, both (default both). */
    public static final String MODE = "mode";
    public static final List<Param<?>> PARAMS = List.of(MIN_INSTANCES, DELTA, THRESHOLD, ALPHA);

    @Override
    public String type() {
      return "page-hinkley";
    }

    @Override
    public DriftDetector create() {
      return new PageHinkley(minInstances, delta, threshold, alpha, mode);
    }
  }

  /** {@code detector: adwin}: River's {@code drift.ADWIN}. */
  record AdwinSpec(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod)
      implements DetectorSpec {
    public static final Param<Double> DELTA = Param.number("delta", "significance value, in (0, 1)", 0.002,
        v -> v > 0 && v < 1 ? null : "must be in (0, 1), got " + Section.format(v));
    public static final Param<Integer> CLOCK = Param.intValue("clock", "values between two checks of the window", 32, 1);
    public static final Param<Integer> MAX_BUCKETS = Param.intValue("maxBuckets",
        "buckets of one size kept before two merge", 5, 1);
    public static final Param<Integer> MIN_WINDOW_LENGTH = Param.intValue("minWindowLength",
        "least length of each part of a cut", 5, 1);
    public static final Param<Integer> GRACE_PERIOD = Param.intValue("gracePeriod", "values before the first check", 10,
        1);
    public static final List<Param<?>> PARAMS = List.of(DELTA, CLOCK, MAX_BUCKETS, MIN_WINDOW_LENGTH, GRACE_PERIOD);

    @Override
    public String type() {
      return "adwin";
    }

    @Override
    public DriftDetector create() {
      return new Adwin(delta, clock, maxBuckets, minWindowLength, gracePeriod);
    }
  }
}
