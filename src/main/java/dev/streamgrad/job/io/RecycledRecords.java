package dev.streamgrad.job.io;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The records of batches a file reader's consumer has finished with, for the reader to decode the
 * next blocks into: Avro's reader fills a given record's fields and byte buffers in place when they
 * are large enough, so that a stream of records does not allocate a fresh buffer per tensor (11.7 KB
 * for a float64 28x28 record; fresh memory costs about 130 ns per KB on these machines, most of a
 * file reader's time). The reader takes a batch in its fetcher thread and Flink hands it back from
 * the task thread ({@code BulkFormat.RecordIterator#releaseBatch}) once every record of it was
 * emitted; only a consumer that is done with a record when it has passed it on may be fed from here
 * (see {@link AvroContainerFormat}).
 */
final class RecycledRecords<T> {
  /** A few batches: the fetcher reads ahead of the task thread by the element queue's two batches. */
  private final ArrayBlockingQueue<List<T>> batches = new ArrayBlockingQueue<>(8);

  /** A finished batch's records to decode into (any number of them), or an empty list. */
  List<T> take() {
    List<T> b = batches.poll();
    return b == null ? List.of() : b;
  }

  /** What to run when the batch of {@code records} is released: they become available to {@link #take}. */
  Runnable recycler(List<T> records) {
    return () -> batches.offer(records);
  }
}
