package dev.streamgrad.flink;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;

/**
 * The predictor's records whose model is too old to serve them ({@link Staleness}), per key: with
 * {@code onStale: wait} they wait in keyed list state, at most {@code maxWaiting} per key (past
 * that a stale record is a dead letter), until a snapshot fresh enough for them arrives or the
 * input ends. Separate from the records that wait for their model's first snapshot, whose state
 * ({@code predictor-buffer}) is unchanged.
 */
final class StaleRecords {
  static final ListStateDescriptor<TensorRecord> WAITING =
      new ListStateDescriptor<>("predictor-stale", new AvroTypeInfo<>(TensorRecord.class));
  /** How many records of the key are in {@link #WAITING} (list state has no size). */
  static final ValueStateDescriptor<Integer> COUNT = new ValueStateDescriptor<>("predictor-stale-count", Types.INT);

  /** A waiting record the caller should now predict, or dead-letter with {@code reason} when not null. */
  record Released(TensorRecord record, String model, FilterSnapshot snapshot, String reason) {}

  private final Staleness policy;
  private final ListState<TensorRecord> waiting;
  private final ValueState<Integer> count;

  StaleRecords(Staleness policy, RuntimeContext context) {
    this.policy = policy;
    this.waiting = context.getListState(WAITING);
    this.count = context.getState(COUNT);
  }

  /**
   * Takes record {@code r} of the current key, which model {@code m}'s newest snapshot {@code snap}
   * is too old for. Returns null when it waits (the caller makes sure the end-of-input timer is
   * set), else the reason it is a dead letter.
   */
  String hold(TensorRecord r, String m, FilterSnapshot snap) throws Exception {
    String reason = policy.reason(m, snap, r.getEventTime().toEpochMilli());
    if (policy.onStale() == Staleness.OnStale.DEAD_LETTER) {
      return reason + "; predict.onStale is dead-letter";
    }
    int n = count.value() == null ? 0 : count.value();
    if (n >= policy.maxWaiting()) {
      return reason + ", and " + n + " records of key '" + r.getKey() + "' already wait for a fresher one"
          + " (predict.maxWaiting " + policy.maxWaiting() + ")";
    }
    waiting.add(r);
    count.update(n + 1);
    return null;
  }

  /**
   * After {@code snap}, a newer version of model {@code m}: takes from every key's wait the records
   * of {@code m} it is fresh enough for, in arrival order per key. The others keep waiting.
   */
  List<Released> release(KeyedBroadcastProcessFunction<String, TensorRecord, FilterSnapshot, Prediction>.Context ctx,
      String m, FilterSnapshot snap, Function<TensorRecord, String> modelOf) throws Exception {
    List<Released> ready = new ArrayList<>();
    ctx.applyToKeyedState(WAITING, (key, list) -> {
      List<TensorRecord> keep = new ArrayList<>();
      boolean changed = false;
      Iterable<TensorRecord> records = list.get();
      for (TensorRecord r : records == null ? List.<TensorRecord>of() : records) {
        if (m.equals(modelOf.apply(r)) && policy.fresh(snap, r.getEventTime().toEpochMilli())) {
          ready.add(new Released(r, m, snap, null));
          changed = true;
        } else {
          keep.add(r);
        }
      }
      if (changed) {
        list.update(keep);
        // applyToKeyedState sets the current key, so the count of this key is at hand
        count.update(keep.isEmpty() ? null : keep.size());
      }
    });
    return ready;
  }

  /**
   * At end of input, for the current key: every waiting record, with its model's newest snapshot
   * (from {@code models}) and the reason it is a dead letter when that snapshot is still too old.
   * The wait is empty afterwards.
   */
  List<Released> drain(Function<TensorRecord, String> modelOf, Function<String, FilterSnapshot> models)
      throws Exception {
    List<Released> all = new ArrayList<>();
    for (TensorRecord r : waiting.get()) {
      String m = modelOf.apply(r);
      FilterSnapshot snap = models.apply(m);
      long t = r.getEventTime().toEpochMilli();
      all.add(new Released(r, m, snap, policy.fresh(snap, t) ? null
          : policy.reason(m, snap, t) + "; no fresher snapshot arrived before end of input"));
    }
    waiting.clear();
    count.clear();
    return all;
  }
}
