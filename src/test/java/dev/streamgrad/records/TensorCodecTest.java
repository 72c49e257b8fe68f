package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorCodecTest {
  private static dev.streamgrad.avro.Tensor wire(List<Integer> shape, DType dtype, byte[] data) {
    return dev.streamgrad.avro.Tensor.newBuilder().setShape(shape).setDtype(dtype).setData(ByteBuffer.wrap(data)).build();
  }

  @Test
  void float64IsLittleEndianRowMajor() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 6; k++) {
      b.putDouble(k + 0.5);
    }
    Tensor t = TensorCodec.decode(wire(List.of(2, 3), DType.FLOAT64, b.array()));
    assertThat(t.shape()).containsExactly(2, 3);
    assertThat(t.get(1, 0)).isEqualTo(3.5);
    assertThat(t.get(0, 2)).isEqualTo(2.5);
    assertThat(TensorCodec.encode(t, DType.FLOAT64).getData().array()).isEqualTo(b.array());
  }

  @Test
  void float32WidensExactlyAndNarrowsToNearest() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.1f).putFloat(-3e38f);
    Tensor t = TensorCodec.decode(wire(List.of(1, 2), DType.FLOAT32, b.array()));
    assertThat(t.toArray()).containsExactly((double) 0.1f, (double) -3e38f);
    dev.streamgrad.avro.Tensor back = TensorCodec.encode(Tensor.of(new double[] {0.1, 1.0 / 3}, 2), DType.FLOAT32);
    ByteBuffer le = back.getData().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(le.getFloat(0)).isEqualTo(0.1f);
    assertThat(le.getFloat(4)).isEqualTo((float) (1.0 / 3));
    assertThat(back.getShape()).containsExactly(2);
    assertThat(back.getDtype()).isEqualTo(DType.FLOAT32);
  }

  @Test
  void scalarShapeHoldsOneValue() throws Exception {
    Tensor t = TensorCodec.decode(wire(List.of(), DType.FLOAT64,
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(4.25).array()));
    assertThat(t.dim()).isZero();
    assertThat(t.item()).isEqualTo(4.25);
  }

  @Test
  void rejectsDataLengthNotMatchingShapeAndDtype() {
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(3, 4), DType.FLOAT32, new byte[96])))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("tensor data has 96 bytes but shape [3, 4] of FLOAT32 needs 48 (12 x 4)");
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(5), DType.FLOAT64, new byte[39])))
        .hasMessage("tensor data has 39 bytes but shape [5] of FLOAT64 needs 40 (5 x 8)");
  }

  @Test
  void rejectsNonPositiveAndHugeDimensions() {
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(3, 0), DType.FLOAT64, new byte[0])))
        .hasMessage("tensor shape [3, 0] has a non-positive dimension 0 at axis 1");
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(-2, 4), DType.FLOAT64, new byte[0])))
        .hasMessage("tensor shape [-2, 4] has a non-positive dimension -2 at axis 0");
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(65536, 65536), DType.FLOAT64, new byte[0])))
        .hasMessage("tensor shape [65536, 65536] has 4,294,967,296 elements, more than the "
            + RecordLimits.forThisJvm(1).describe(DType.FLOAT64));
    // a shape whose element count overflows a long is reported, not wrapped around
    int big = Integer.MAX_VALUE;
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(big, big, big), DType.FLOAT32, new byte[0])))
        .hasMessageStartingWith("tensor shape [2147483647, 2147483647, 2147483647] has over 9,223,372,036,854,775,807"
            + " elements, more than the ");
  }

  @Test
  void theLimitIsCheckedBeforeTheDataAndAppliesAtItsEdge() throws Exception {
    // a heap whose usable part holds exactly 100 FLOAT64 elements per tensor at parallelism 1
    RecordLimits limits = RecordLimits.of(RecordLimits.MIN_RESERVE_BYTES + 2 * 88 * 100, 1);
    assertThat(limits.maxElements(DType.FLOAT64)).isEqualTo(100);
    Tensor atLimit = TensorCodec.decode(wire(List.of(10, 10), DType.FLOAT64, new byte[800]), limits);
    assertThat(atLimit.shape()).containsExactly(10, 10);
    // one element more is rejected before the data length is looked at (no data here at all)
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(101), DType.FLOAT64, new byte[0]), limits))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("tensor shape [101] has 101 elements, more than the 100 FLOAT64 elements per tensor a job of"
            + " parallelism 1 holds in a 128 MB heap");
    // FLOAT32 records take fewer bytes in flight: more of their elements fit
    assertThat(limits.maxElements(DType.FLOAT32)).isEqualTo(2 * 88 * 100 / (2 * 64));
  }

  @Test
  void rejectsNanAndInfinityWithTheirIndex() {
    ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 6; k++) {
      b.putDouble(k == 4 ? Double.NEGATIVE_INFINITY : k);
    }
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(2, 3), DType.FLOAT64, b.array())))
        .hasMessage("tensor value -Infinity at flat index 4 (index [1, 1]) is not finite");
    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).putFloat(1f);
    assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(2), DType.FLOAT32, f.array())))
        .hasMessage("tensor value NaN at flat index 0 (index [0]) is not finite");
  }

  @Test
  void rejectsMissingFields() {
    assertThatThrownBy(() -> TensorCodec.decode(null)).hasMessage("tensor is missing (null)");
    dev.streamgrad.avro.Tensor noShape = new dev.streamgrad.avro.Tensor();
    noShape.setDtype(DType.FLOAT64);
    noShape.setData(ByteBuffer.allocate(8));
    assertThatThrownBy(() -> TensorCodec.decode(noShape)).hasMessage("tensor shape is missing (null)");
    dev.streamgrad.avro.Tensor noType = new dev.streamgrad.avro.Tensor();
    noType.setShape(List.of(1));
    assertThatThrownBy(() -> TensorCodec.decode(noType)).hasMessage("tensor dtype is missing (null)");
    dev.streamgrad.avro.Tensor noData = new dev.streamgrad.avro.Tensor();
    noData.setShape(List.of(1));
    noData.setDtype(DType.FLOAT32);
    assertThatThrownBy(() -> TensorCodec.decode(noData)).hasMessage("tensor data is missing (null)");
  }

  @Test
  void decodingDoesNotConsumeTheRecordsBuffer() throws Exception {
    dev.streamgrad.avro.Tensor w = TensorCodec.encode(Tensor.randn(1L, 3, 3), DType.FLOAT64);
    Tensor first = TensorCodec.decode(w);
    assertThat(TensorCodec.decode(w).toArray()).containsExactly(first.toArray());
  }

  @Test
  void decodesSlicedDirectAndReadOnlyBuffersAlike() throws Exception {
    double[] want = {1.5, -2.25, 3e-300, Double.MAX_VALUE, -0.0, 7};
    ByteBuffer heap = ByteBuffer.allocate(4 + 48).order(ByteOrder.LITTLE_ENDIAN);
    heap.putInt(99);
    for (double v : want) {
      heap.putDouble(v);
    }
    heap.position(4);
    ByteBuffer sliced = heap.slice();
    ByteBuffer direct = ByteBuffer.allocateDirect(48);
    direct.put(sliced.duplicate()).flip();
    for (ByteBuffer data : List.of(sliced, direct, sliced.asReadOnlyBuffer())) {
      dev.streamgrad.avro.Tensor t = dev.streamgrad.avro.Tensor.newBuilder().setShape(List.of(2, 3))
          .setDtype(DType.FLOAT64).setData(data).build();
      assertThat(TensorCodec.decode(t).toArray()).as(data.toString()).containsExactly(want);
    }
  }

  @Test
  void findsEveryKindOfNonFiniteValueAtAnyPosition() {
    float[] bad32 = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7FC00001)};
    double[] bad64 = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.longBitsToDouble(0xFFF8_0000_0000_0001L)};
    for (int at = 0; at < 9; at += 4) {
      for (int i = 0; i < 4; i++) {
        ByteBuffer f = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 9; k++) {
          f.putFloat(k == at ? bad32[i] : Float.MAX_VALUE);
          d.putDouble(k == at ? bad64[i] : -Double.MAX_VALUE);
        }
        String where = " at flat index " + at + " (index [" + at / 3 + ", " + at % 3 + "]) is not finite";
        assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(3, 3), DType.FLOAT32, f.array())))
            .hasMessageEndingWith(where);
        assertThatThrownBy(() -> TensorCodec.decode(wire(List.of(3, 3), DType.FLOAT64, d.array())))
            .hasMessageEndingWith(where);
      }
    }
  }
}
