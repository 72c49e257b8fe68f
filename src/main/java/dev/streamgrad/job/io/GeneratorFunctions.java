package dev.streamgrad.job.io;

import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.job.spec.GeneratorSpec;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The {@code generator} source's functions from a {@link KeyGroupSequence} position to its record
 * (see {@link SyntheticRecords}).
 */
final class GeneratorFunctions {
  private GeneratorFunctions() {}

  /** Labeled records for the trainer. */
  static final class Labeled implements GeneratorFunction<Long, LabeledTensorRecord> {
    private static final long serialVersionUID = 1L;
    private final GeneratorSpec spec;
    private transient SyntheticRecords records;

    Labeled(GeneratorSpec spec) {
      this.spec = spec;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
      // the source emits each record synchronously through the progress count into the keyBy's
      // serializer (JobGraphBuilder) before it asks for the next: the bytes can be reused
      records = new SyntheticRecords(spec, true);
    }

    @Override
    public LabeledTensorRecord map(Long i) {
      return records.labeled(KeyGroupSequence.recordIndex(i, spec.keys().size()));
    }
  }

  /** Unlabeled records for forward operators and the predictor. */
  static final class Unlabeled implements GeneratorFunction<Long, TensorRecord> {
    private static final long serialVersionUID = 1L;
    private final GeneratorSpec spec;
    private transient SyntheticRecords records;

    Unlabeled(GeneratorSpec spec) {
      this.spec = spec;
    }

    @Override
    public void open(SourceReaderContext readerContext) {
      records = new SyntheticRecords(spec);
    }

    @Override
    public TensorRecord map(Long i) {
      return records.unlabeled(KeyGroupSequence.recordIndex(i, spec.keys().size()));
    }
  }
}
