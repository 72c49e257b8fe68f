package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.records.TensorCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  private static TensorRecord record(dev.streamgrad.avro.Tensor t) {
    return TensorRecord.newBuilder().setKey("k").setSeq(3).setEventTime(Instant.ofEpochMilli(1500)).setTensor(t).build();
  }

  @Test
  void tensorsShowShapeDtypeAndDecodedValues() {
    Tensor t = Tensor.of(new double[] {1.5, -2, 0.25, 1e-3, 7, 8}, 2, 3);
    assertThat(RecordJson.toJson(record(TensorCodec.encode(t, DType.FLOAT64)))).isEqualTo(
        "{\"key\":\"k\",\"seq\":3,\"eventTime\":\"1970-01-01T00:00:01.500Z\",\"tensor\":{\"shape\":[2,3],"
            + "\"dtype\":\"FLOAT64\",\"values\":[1.5,-2.0,0.25,0.001,7.0,8.0]}}");
    assertThat(RecordJson.toJson(record(TensorCodec.encode(t, DType.FLOAT32))))
        .contains("\"dtype\":\"FLOAT32\",\"values\":[1.5,-2.0,0.25,0.001,7.0,8.0]");
  }

  @Test
  void badTensorsAreShownRawWithTheReasonAndNonFiniteValuesAsStrings() {
    dev.streamgrad.avro.Tensor bad = new dev.streamgrad.avro.Tensor(List.of(2, 2), DType.FLOAT64,
        ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(RecordJson.toJson(record(bad)))
        .contains("\"invalid\":\"data has 3 bytes, shape and dtype need 32\",\"data\":\"AQID\"");
    ByteBuffer nan = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NaN)
        .putDouble(Double.NEGATIVE_INFINITY).flip();
    assertThat(RecordJson.toJson(record(new dev.streamgrad.avro.Tensor(List.of(2), DType.FLOAT64, nan))))
        .contains("\"values\":[\"NaN\",\"-Infinity\"]");
  }

  @Test
  void bytesAreBase64AndNullsStayNull() {
    DeadLetter d = DeadLetter.newBuilder().setStage("trainer").setReason("r").setKey(null).setSeq(null)
        .setPayload(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0})).build();
    assertThat(RecordJson.toJson(d))
        .isEqualTo("{\"stage\":\"trainer\",\"reason\":\"r\",\"key\":null,\"seq\":null,\"payload\":\"/wA=\"}");
  }

  @Test
  void genericRecordsWithTimestampLongsRenderLikeGeneratedOnes() {
    TensorRecord specific = record(TensorCodec.encode(Tensor.of(new double[] {1}, 1), DType.FLOAT64));
    GenericRecord generic = new GenericData.Record(TensorRecord.getClassSchema());
    generic.put("key", "k");
    generic.put("seq", 3L);
    generic.put("eventTime", 1500L);
    GenericRecord tensor = new GenericData.Record(dev.streamgrad.avro.Tensor.getClassSchema());
    tensor.put("shape", List.of(1));
    tensor.put("dtype", new GenericData.EnumSymbol(DType.getClassSchema(), "FLOAT64"));
    tensor.put("data", specific.getTensor().getData());
    generic.put("tensor", tensor);
    assertThat(RecordJson.toJson(generic)).isEqualTo(RecordJson.toJson(specific));
  }

  @Test
  void textThatCouldForgeOrMoveConsoleLinesIsEscapedAndStaysTheSameJsonString() throws Exception {
    String key = "a\nforged line\u001b[2K\u0085\u202e\u2028 äöü";
    TensorRecord r = record(TensorCodec.encode(Tensor.of(new double[] {1}, 1), DType.FLOAT64));
    r.setKey(key);
    String json = RecordJson.toJson(r);
    assertThat(json).contains("\"key\":\"a\\nforged line\\u001B[2K\\u0085\\u202E\\u2028 äöü\"")
        .doesNotContain("\n", "\u001b", "\u0085", "\u202e", "\u2028");
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("key").asText()).isEqualTo(key);
  }

  @Test
  void longStringsAndBytesAreCutUnlessAskedForInFull() throws Exception {
    String reason = "r".repeat(1 << 20);
    DeadLetter d = DeadLetter.newBuilder().setStage("trainer").setReason(reason).setKey("k").setSeq(1L)
        .setPayload(ByteBuffer.wrap(new byte[3000])).build();
    String cut = RecordJson.toJson(d);
    assertThat(cut).contains("\"reason\":\"" + "r".repeat(RecordJson.MAX_CHARS) + "...[1048576 chars]\"")
        .contains("\"payload\":\"" + "A".repeat(RecordJson.MAX_CHARS) + "...[4000 chars]\"");
    assertThat(cut.length()).isLessThan(1000);
    var full = new com.fasterxml.jackson.databind.ObjectMapper().readTree(RecordJson.toJson(d, true, null));
    assertThat(full.get("reason").asText()).isEqualTo(reason);
    assertThat(full.get("payload").binaryValue()).hasSize(3000);
  }

  @Test
  void theRunThatWroteARecordComesFirst() {
    DeadLetter d = DeadLetter.newBuilder().setStage("s").setReason("r").setKey(null).setSeq(null)
        .setPayload(ByteBuffer.wrap(new byte[0])).build();
    assertThat(RecordJson.toJson(d, false, "20261129-084401-3f2a9c"))
        .startsWith("{\"@run\":\"20261129-084401-3f2a9c\",\"stage\":\"s\"");
  }
}
