package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.NamedTensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class SnapshotParametersTest {
  private static FilterSnapshot.Builder base() {
    return FilterSnapshot.newBuilder().setModel("m").setVersion(3).setLoss(0.5).setRecords(3)
        .setEventTime(Instant.ofEpochMilli(7));
  }

  @Test
  void conv2dStateDictFillsTheOldFieldsAndReadsBackInOrder() throws Exception {
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("filter", Tensor.of2d(new double[][] {{1, 2, 3}, {4, 5, 6}}));
    state.put("bias", Tensor.full(-0.25, 1, 1));
    FilterSnapshot s = SnapshotParameters.fill(base(), "conv2d", state).build();

    assertThat(s.getLayer()).isEqualTo("conv2d");
    assertThat(TensorCodec.decode(s.getFilter()).toArray()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(s.getBias()).isEqualTo(-0.25);
    Map<String, Tensor> back = SnapshotParameters.of(s);
    assertThat(back.keySet()).containsExactly("filter", "bias");
    assertThat(back.get("filter").shape()).containsExactly(2, 3);
    assertThat(back.get("bias").shape()).containsExactly(1, 1);
  }

  @Test
  void aChainWithOneConv2dFillsTheOldFieldsFromItsPrefixedNames() throws Exception {
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("1.filter", Tensor.of2d(new double[][] {{1, 2}, {3, 4}}));
    state.put("1.bias", Tensor.full(2, 1, 1));
    FilterSnapshot s = SnapshotParameters.fill(base(), "sequential", state).build();
    assertThat(TensorCodec.decode(s.getFilter()).toArray()).containsExactly(1, 2, 3, 4);
    assertThat(s.getBias()).isEqualTo(2);
  }

  @Test
  void aModelWithoutOneConv2dHasAnEmptyFilterAndNanBias() throws Exception {
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("scale", Tensor.full(1.5, 1));
    state.put("0.filter", Tensor.of2d(new double[][] {{1}}));
    state.put("0.bias", Tensor.full(0, 1, 1));
    state.put("2.filter", Tensor.of2d(new double[][] {{2}}));
    state.put("2.bias", Tensor.full(0, 1, 1));
    FilterSnapshot s = SnapshotParameters.fill(base(), "my-layer", state).build();
    assertThat(s.getFilter().getShape()).containsExactly(0);
    assertThat(s.getBias()).isNaN();
    assertThat(SnapshotParameters.of(s).keySet()).containsExactly("scale", "0.filter", "0.bias", "2.filter", "2.bias");
  }

  @Test
  void aSnapshotWrittenWithVersion1OfTheSchemaReadsAsFilterAndBias() throws Exception {
    Schema v1;
    try (InputStream in = getClass().getResourceAsStream("/schemas/versions/FilterSnapshot-v1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
    GenericRecord tensor = new GenericData.Record(v1.getField("filter").schema());
    tensor.put("shape", List.of(1, 2));
    tensor.put("dtype", new GenericData.EnumSymbol(v1.getField("filter").schema().getField("dtype").schema(),
        "FLOAT64"));
    tensor.put("data", TensorCodec.encode(Tensor.of2d(new double[][] {{0.5, -1}}), DType.FLOAT64).getData());
    GenericRecord old = new GenericData.Record(v1);
    old.put("model", "m");
    old.put("version", 4L);
    old.put("filter", tensor);
    old.put("bias", 0.75);
    old.put("loss", 0.1);
    old.put("records", 4L);
    old.put("eventTime", 9L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(v1).write(old, enc);
    enc.flush();

    FilterSnapshot read = new SpecificDatumReader<FilterSnapshot>(v1, FilterSnapshot.getClassSchema())
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    assertThat(read.getLayer()).isEmpty();
    assertThat(read.getParameters()).isEmpty();
    Map<String, Tensor> state = SnapshotParameters.of(read);
    assertThat(state.keySet()).containsExactly("filter", "bias");
    assertThat(state.get("filter").toArray()).containsExactly(0.5, -1);
    assertThat(state.get("bias").item()).isEqualTo(0.75);
  }

  @Test
  void malformedParametersAreNamed() throws IOException {
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("w", Tensor.full(1, 2));
    FilterSnapshot s = SnapshotParameters.fill(base(), "x", state).build();
    NamedTensor twice = s.getParameters().get(0);
    s.setParameters(List.of(twice, twice));
    assertThatThrownBy(() -> SnapshotParameters.of(s)).isInstanceOf(InvalidRecordException.class)
        .hasMessage("parameters: 'w' is given twice");
    s.getParameters().get(0).getTensor().setShape(List.of(3));
    assertThatThrownBy(() -> SnapshotParameters.of(s)).isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("parameters.w: ");
  }
}
