package dev.streamgrad.flink;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.records.RecordTypeInfo;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trainer in a MiniCluster job (parallelism 2, keyed by model) emits the filters PyTorch's own
 * loop reaches (conv2d + mse_loss + torch.optim, fixtures by gen_trainer_fixtures.py) to 1e-9,
 * including the snapshot at end of input.
 */
class TrainerParityITCase {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static List<ParityCase> cases() {
    return ParityCase.all();
  }

  static StreamExecutionEnvironment env() {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    return env;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void snapshotsEqualPytorch(ParityCase c) throws Exception {
    StreamExecutionEnvironment env = env();
    // one source subtask keeps the model's record order up to the keyBy
    List<FilterSnapshot> out = Operators.train(
            env.fromData(c.records, RecordTypeInfo.LABELED).setParallelism(1), c.layer, c.train)
        .executeAndCollect(1000);
    TrainerFunctionTest.assertMatches(out, c.snapshots);
  }
}
