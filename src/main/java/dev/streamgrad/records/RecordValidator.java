package dev.streamgrad.records;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import java.time.Instant;

/**
 * Checks the fields of incoming records and decodes their tensors, so that an operator either gets
 * usable tensors or an {@link InvalidRecordException} whose reason names the field: {@code "input:
 * tensor data has 12 bytes but shape [2, 2] of FLOAT64 needs 32 (4 x 8)"}.
 */
public final class RecordValidator {
  private static final Instant MIN_EVENT_TIME = Instant.ofEpochMilli(Long.MIN_VALUE);
  private static final Instant MAX_EVENT_TIME = Instant.ofEpochMilli(Long.MAX_VALUE);

  private RecordValidator() {}

  /** {@link #tensorOf(TensorRecord, RecordLimits)} with the limits of one record in this JVM. */
  public static Tensor tensorOf(TensorRecord r) throws InvalidRecordException {
    return tensorOf(r, RecordLimits.ONE_RECORD);
  }

  /** The decoded tensor of {@code r}, after checking its key, event time and tensor (within {@code limits}). */
  public static Tensor tensorOf(TensorRecord r, RecordLimits limits) throws InvalidRecordException {
    if (r == null) {
      throw new InvalidRecordException("record is missing (null)");
    }
    if (r.getKey() == null) {
      throw new InvalidRecordException("key is missing (null)");
    }
    checkEventTime(r.getEventTime());
    try {
      return TensorCodec.decode(r.getTensor(), limits);
    } catch (InvalidRecordException e) {
      throw e.in("tensor");
    }
  }

  /** {@link #exampleOf(LabeledTensorRecord, RecordLimits)} with the limits of one record in this JVM. */
  public static LabeledExample exampleOf(LabeledTensorRecord r) throws InvalidRecordException {
    return exampleOf(r, RecordLimits.ONE_RECORD);
  }

  /** The decoded input and target of {@code r} (each within {@code limits}), after checking its model and event time. */
  public static LabeledExample exampleOf(LabeledTensorRecord r, RecordLimits limits) throws InvalidRecordException {
    return exampleOf(r, limits, null);
  }

  /**
   * {@link #exampleOf(LabeledTensorRecord, RecordLimits)} decoding into {@code buffers}' arrays
   * (see {@link TensorCodec#decode(dev.streamgrad.avro.Tensor, RecordLimits, double[])}): the
   * example is valid until the next call with the same buffers.
   */
  public static LabeledExample exampleOf(LabeledTensorRecord r, RecordLimits limits, Buffers buffers)
      throws InvalidRecordException {
    if (r == null) {
      throw new InvalidRecordException("record is missing (null)");
    }
    if (r.getModel() == null) {
      throw new InvalidRecordException("model is missing (null)");
    }
    checkEventTime(r.getEventTime());
    Tensor input;
    Tensor target;
    try {
      input = TensorCodec.decode(r.getInput(), limits, buffers == null ? null : buffers.input);
    } catch (InvalidRecordException e) {
      throw e.in("input");
    }
    try {
      target = TensorCodec.decode(r.getTarget(), limits, buffers == null ? null : buffers.target);
    } catch (InvalidRecordException e) {
      throw e.in("target");
    }
    if (buffers != null) {
      // the arrays of this record's size, lent again for the next record (usually of the same size)
      buffers.input = input.buffer();
      buffers.target = target.buffer();
    }
    return new LabeledExample(input, target);
  }

  /**
   * An event time is present and within epoch milliseconds (the wire format's {@code timestamp-millis},
   * which the operators' clocks and timers use): an {@link Instant} built in code can be far
   * beyond, and would otherwise fail the job where it is first converted.
   */
  private static void checkEventTime(Instant t) throws InvalidRecordException {
    if (t == null) {
      throw new InvalidRecordException("eventTime is missing (null)");
    }
    if (t.isBefore(MIN_EVENT_TIME) || t.isAfter(MAX_EVENT_TIME)) {
      throw new InvalidRecordException("eventTime " + t + " is outside the range of epoch milliseconds");
    }
  }

  /** Arrays that an operator lends the decoder record after record; not thread-safe, one per operator. */
  public static final class Buffers {
    private double[] input;
    private double[] target;
  }

  /** A decoded training example. */
  public static final class LabeledExample {
    private final Tensor input;
    private final Tensor target;

    LabeledExample(Tensor input, Tensor target) {
      this.input = input;
      this.target = target;
    }

    public Tensor input() {
      return input;
    }

    public Tensor target() {
      return target;
    }
  }
}
