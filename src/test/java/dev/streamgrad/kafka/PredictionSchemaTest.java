package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.Prediction;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Prediction version 2 adds the record's {@code eventTime} (the scorer's clock): a value a version 1
 * producer wrote still decodes, with event time 0; version 2 keeps the record's event time.
 */
class PredictionSchemaTest {
  @Test
  void aVersion1PredictionDecodesWithEventTimeZero() throws Exception {
    Schema v1;
    try (InputStream in = getClass().getResourceAsStream("/schemas/versions/Prediction-v1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
    Prediction sample = Samples.prediction("k", 5);
    GenericRecord old = new GenericData.Record(v1);
    old.put("key", "k");
    old.put("seq", 5L);
    old.put("model", "m");
    old.put("modelVersion", 7L);
    GenericRecord tensor = new GenericData.Record(v1.getField("output").schema());
    tensor.put("shape", List.copyOf(sample.getOutput().getShape()));
    tensor.put("dtype", new GenericData.EnumSymbol(tensor.getSchema().getField("dtype").schema(),
        sample.getOutput().getDtype().name()));
    tensor.put("data", sample.getOutput().getData());
    old.put("output", tensor);
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

    Prediction read = SingleObjectCodec.of(Prediction.class).decode(bytes);

    assertThat(read.getEventTime()).isEqualTo(Instant.EPOCH);
    assertThat(read.getOutput()).isEqualTo(sample.getOutput());
    assertThat(read.getModelVersion()).isEqualTo(7L);
  }

  @Test
  void version2KeepsTheEventTime() throws Exception {
    Prediction p = Samples.prediction("k", 5);
    p.setEventTime(Instant.ofEpochMilli(1_767_225_600_123L));
    SingleObjectCodec<Prediction> codec = SingleObjectCodec.of(Prediction.class);
    assertThat(codec.decode(codec.encode(p)).getEventTime()).isEqualTo(Instant.ofEpochMilli(1_767_225_600_123L));
  }
}
