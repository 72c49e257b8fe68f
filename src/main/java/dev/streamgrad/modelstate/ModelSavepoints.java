package dev.streamgrad.modelstate;

import dev.streamgrad.flink.TrainerKeyedState;
import dev.streamgrad.flink.TrainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * The trainer's keyed state ({@link TrainerKeyedState}) in a savepoint or retained checkpoint, read
 * and written with Flink's State Processor API on a small batch job (parallelism 1; on an embedded
 * cluster in this JVM when run from the CLI): nothing of the job that wrote it runs.
 *
 * <p>Reading gives every model's {@link TrainerState}, in the state-dict layout (a state of the
 * conv2d-only layout of older releases is migrated as the trainer migrates it). A canonical
 * savepoint reads with any state backend; a retained checkpoint is in its backend's native format,
 * so the backend that wrote it is tried after the other one fails.
 *
 * <p>Writing makes a new savepoint that holds only the trainer's state: each model's {@link
 * TrainerState} under the trainer's uid and the end-of-input timer every model has, for the job's
 * max parallelism, so that {@code run --from-savepoint} starts the job from exactly those states.
 */
public final class ModelSavepoints {
  private static final TypeInformation<Tuple2<String, TrainerState>> ENTRY =
      Types.TUPLE(Types.STRING, TrainerState.TYPE_INFO);

  private ModelSavepoints() {}

  /** Why a savepoint could not be read or written; the message says what and where. */
  public static final class SavepointException extends Exception {
    private static final long serialVersionUID = 1L;

    SavepointException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Every model of the trainer in the savepoint or retained checkpoint at {@code path} (its folder
   * or its {@code _metadata} file), by model name.
   *
   * @param backend {@code hashmap} or {@code rocksdb}: the one tried first
   */
  public static SortedMap<String, TrainerState> read(String path, String backend) throws SavepointException {
    String location = location(path);
    List<Exception> failures = new ArrayList<>();
    for (String b : "rocksdb".equals(backend) ? List.of("rocksdb", "hashmap") : List.of("hashmap", "rocksdb")) {
      try {
        return read(location, backend(b));
      } catch (Exception e) {
        failures.add(e);
        if (!canBeTheBackend(e)) {
          break;
        }
      }
    }
    Exception first = failures.get(0);
    throw new SavepointException("cannot read the trainer's state (operator uid '" + TrainerKeyedState.UID
        + "') from " + path + ": " + rootMessage(first), first);
  }

  @SuppressWarnings("try") // the iterator's close() may throw InterruptedException, which this method passes on
  private static SortedMap<String, TrainerState> read(String location, StateBackend backend) throws Exception {
    StreamExecutionEnvironment env = environment(false);
    SavepointReader reader = SavepointReader.read(env, location, backend);
    SortedMap<String, TrainerState> out = new TreeMap<>();
    try (CloseableIterator<Tuple2<String, TrainerState>> it = reader.readKeyedState(
        OperatorIdentifier.forUid(TrainerKeyedState.UID), new Reader(), Types.STRING, ENTRY)
        .executeAndCollect("read models from " + location)) {
      while (it.hasNext()) {
        Tuple2<String, TrainerState> e = it.next();
        e.f1.migrateLegacyConv2d();
        out.put(e.f0, e.f1);
      }
    }
    return out;
  }

  /**
   * Writes a new savepoint to the folder {@code dir} (which must not exist or be empty) holding
   * {@code models} as the trainer's state, for a job of max parallelism {@code maxParallelism}.
   */
  public static void write(Map<String, TrainerState> models, int maxParallelism, Path dir)
      throws SavepointException {
    try {
      StreamExecutionEnvironment env = environment(true);
      List<Tuple2<String, TrainerState>> entries = new ArrayList<>();
      models.forEach((model, state) -> entries.add(Tuple2.of(model, state.copy())));
      SavepointWriter.newSavepoint(env, new HashMapStateBackend(), maxParallelism)
          .withOperator(OperatorIdentifier.forUid(TrainerKeyedState.UID),
              OperatorTransformation.bootstrapWith(env.fromData(entries, ENTRY))
                  .keyBy(e -> e.f0, Types.STRING)
                  .transform(new Bootstrap()))
          .write(dir.toAbsolutePath().toUri().toString());
      env.execute("write a savepoint of " + models.size() + " models to " + dir);
    } catch (Exception e) {
      throw new SavepointException("cannot write a savepoint to " + dir + ": " + rootMessage(e), e);
    }
  }

  /** The savepoint's folder, as Flink takes it: a path to its {@code _metadata} file names the folder. */
  private static String location(String path) {
    if (path.contains(":")) {
      return path; // a URI (file:, s3:, ...): as given
    }
    Path p = Path.of(path).toAbsolutePath();
    if (p.getFileName() != null && p.getFileName().toString().equals("_metadata") && Files.isRegularFile(p)) {
      p = p.getParent();
    }
    return p.toUri().toString();
  }

  /**
   * @param genericTypes whether Flink may fall back to Kryo: only for the writer, whose own
   *     bookkeeping ({@code TaggedOperatorSubtaskState}, between its operators) is such a type; the
   *     models' state is always written with {@link TrainerState#TYPE_INFO}
   */
  private static StreamExecutionEnvironment environment(boolean genericTypes) {
    Configuration conf = new Configuration();
    conf.setString("pipeline.generic-types", Boolean.toString(genericTypes));
    // the CLI's JVM: a local environment; a test's MiniCluster or `flink run`: theirs
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    return env;
  }

  private static StateBackend backend(String name) {
    return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
  }

  /** Whether {@code e} may come from reading native state with the other backend (so trying it is worth it). */
  private static boolean canBeTheBackend(Exception e) {
    String m = rootMessage(e);
    return !(m.contains("does not exist") || m.contains("No such file") || m.contains("NoSuchFile")
        || m.contains("does not contain") || m.contains("Cannot find"));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  /** Emits each model's state. */
  static final class Reader extends KeyedStateReaderFunction<String, Tuple2<String, TrainerState>> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<TrainerState> state;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
      state = getRuntimeContext().getState(TrainerKeyedState.descriptor());
    }

    @Override
    public void readKey(String model, Context ctx, Collector<Tuple2<String, TrainerState>> out) throws Exception {
      TrainerState s = state.value();
      if (s != null) {
        out.collect(Tuple2.of(model, s));
      }
    }
  }

  /** Puts each model's state and its end-of-input timer. */
  static final class Bootstrap extends KeyedStateBootstrapFunction<String, Tuple2<String, TrainerState>> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<TrainerState> state;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
      state = getRuntimeContext().getState(TrainerKeyedState.descriptor());
    }

    @Override
    public void processElement(Tuple2<String, TrainerState> e, Context ctx) throws Exception {
      state.update(e.f1);
      ctx.timerService().registerEventTimeTimer(TrainerKeyedState.END_OF_INPUT_TIMER);
    }
  }
}
