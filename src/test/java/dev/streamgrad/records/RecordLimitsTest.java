package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.DType;
import org.junit.jupiter.api.Test;

class RecordLimitsTest {
  private static final long GIB = 1L << 30;

  @Test
  void bytesPerElementCountEveryCopyOfARecordInFlight() {
    // Avro buffers 2 * itemsize, serialized copy 2 * 2 * itemsize, decoded 2 * 8, training step 3 * 8
    assertThat(RecordLimits.bytesPerElement(DType.FLOAT64)).isEqualTo(16 + 32 + 16 + 24);
    assertThat(RecordLimits.bytesPerElement(DType.FLOAT32)).isEqualTo(8 + 16 + 16 + 24);
  }

  @Test
  void theClisTwoGigabyteHeapAtTheDefaultParallelism() {
    RecordLimits cli = RecordLimits.of(2 * GIB, 2);
    assertThat(cli.recordsInFlight()).isEqualTo(4);
    // (2 GiB - 512 MiB) / (88 bytes * 4 records in flight)
    assertThat(cli.maxElements(DType.FLOAT64)).isEqualTo(1_610_612_736L / 352).isEqualTo(4_575_604);
    assertThat(cli.maxElements(DType.FLOAT32)).isEqualTo(6_291_456);
    assertThat(cli.describe(DType.FLOAT64))
        .isEqualTo("4,575,604 FLOAT64 elements per tensor a job of parallelism 2 holds in a 2.0 GB heap");
    // the cases: 4097x4097 and 4096x4096 float64 do not fit; 2139x2139 does, 2140x2140 not
    assertThat(4096L * 4096).isGreaterThan(cli.maxElements(DType.FLOAT64));
    assertThat(2139L * 2139).isLessThanOrEqualTo(cli.maxElements(DType.FLOAT64));
    assertThat(2140L * 2140).isGreaterThan(cli.maxElements(DType.FLOAT64));
  }

  @Test
  void moreParallelSubtasksHoldMoreRecordsAtOnce() {
    assertThat(RecordLimits.of(2 * GIB, 1).maxElements(DType.FLOAT64)).isEqualTo(1_610_612_736L / (88 * 2));
    assertThat(RecordLimits.of(2 * GIB, 4).maxElements(DType.FLOAT64)).isEqualTo(1_610_612_736L / (88 * 8));
  }

  @Test
  void smallHeapsKeepAtLeast128MegabytesForFlink() {
    assertThat(RecordLimits.of(256L << 20, 1).maxElements(DType.FLOAT64)).isEqualTo((128L << 20) / 176);
    assertThat(RecordLimits.of(128L << 20, 1).maxElements(DType.FLOAT64)).isZero();
    assertThat(RecordLimits.of(64L << 20, 1).maxElements(DType.FLOAT32)).isZero();
  }

  @Test
  void hugeHeapsStopAtTheLargestJavaArray() {
    RecordLimits terabyte = RecordLimits.of(1L << 40, 1);
    assertThat(terabyte.maxElements(DType.FLOAT64)).isEqualTo((Integer.MAX_VALUE - 8) / 8);
    assertThat(terabyte.maxElements(DType.FLOAT32)).isEqualTo((Integer.MAX_VALUE - 8) / 4);
  }

  @Test
  void checkAcceptsTheLimitAndRejectsOneMore() throws Exception {
    RecordLimits limits = RecordLimits.of(2 * GIB, 2);
    limits.check(4_575_604, DType.FLOAT64);
    assertThatThrownBy(() -> limits.check(4_575_605, DType.FLOAT64)).isInstanceOf(InvalidRecordException.class)
        .hasMessage("4,575,605 elements, more than the 4,575,604 FLOAT64 elements per tensor a job of parallelism 2"
            + " holds in a 2.0 GB heap");
  }

  @Test
  void thisJvmsLimitsFollowItsHeap() {
    assertThat(RecordLimits.forThisJvm(3))
        .isEqualTo(RecordLimits.of(Runtime.getRuntime().maxMemory(), 3))
        .hasSameHashCodeAs(RecordLimits.of(Runtime.getRuntime().maxMemory(), 3));
    assertThat(RecordLimits.ONE_RECORD.parallelism()).isEqualTo(1);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> RecordLimits.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordLimits.of(GIB, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
