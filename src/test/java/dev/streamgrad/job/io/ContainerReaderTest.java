package dev.streamgrad.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.LabeledTensorRecord;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.file.CodecFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.Path;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container reader on intact and damaged files: every codec, each kind of damage (sync marker,
 * block count, block size, compressed data, truncation, header), and restores from every position.
 */
class ContainerReaderTest {
  @TempDir
  File dir;

  private static final int N = 40;
  private static final int PER_BLOCK = 8;

  private List<Long> write(File f, String codec) throws IOException {
    return ContainerFiles.write(f, ContainerFiles.spec(N, 6), N, PER_BLOCK, CodecFactory.fromString(codec));
  }

  private static List<LabeledTensorRecord> expected(int from, int to) {
    SyntheticRecords gen = new SyntheticRecords(ContainerFiles.spec(N, 6));
    return IntStream.range(from, to).mapToObj(gen::labeled).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "deflate", "snappy", "zstandard", "bzip2"})
  void readsEveryRecordOfAnIntactFileInOrder(String codec) throws IOException {
    File f = new File(dir, "x.avro");
    write(f, codec);
    ContainerFiles.Read r = ContainerFiles.read(f);
    assertThat(r.dead()).isEmpty();
    assertThat(r.records()).isEqualTo(expected(0, N));
  }

  @Test
  void theSourceDecodesLabeledRecordsIntoReleasedBatchesRecordsAndGetsTheSameValues() throws IOException {
    File f = new File(dir, "x.avro");
    write(f, "null");
    AvroContainerFormat<LabeledTensorRecord> format = new AvroContainerFormat<>(LabeledTensorRecord.class, "source");
    FileSourceSplit split = new FileSourceSplit("0", new Path(f.toURI()), 0, f.length(), 0, f.length());
    List<LabeledTensorRecord> want = expected(0, N);
    List<LabeledTensorRecord> previous = List.of();
    int i = 0;
    try (BulkFormat.Reader<Either<DeadLetter, LabeledTensorRecord>> reader =
        format.createReader(new Configuration(), split)) {
      for (BulkFormat.RecordIterator<Either<DeadLetter, LabeledTensorRecord>> batch = reader.readBatch();
          batch != null; batch = reader.readBatch()) {
        List<LabeledTensorRecord> records = new ArrayList<>();
        for (RecordAndPosition<Either<DeadLetter, LabeledTensorRecord>> e = batch.next(); e != null; e = batch.next()) {
          LabeledTensorRecord r = e.getRecord().right();
          assertThat(r).as("record %d", i).isEqualTo(want.get(i++)); // checked before its batch is released
          records.add(r);
        }
        if (!previous.isEmpty()) {
          // the released batch's records, their tensors and data buffers, decoded into again
          assertThat(records.get(0)).isSameAs(previous.get(0));
          assertThat(records.get(0).getInput().getData()).isSameAs(previous.get(0).getInput().getData());
        }
        batch.releaseBatch();
        previous = records;
      }
    }
    assertThat(i).isEqualTo(N);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "deflate", "snappy"})
  void aDamagedSyncMarkerKeepsTheBlocksRecordsWhenTheyDecodeExactly(String codec) throws IOException {
    File f = new File(dir, "x.avro");
    List<Long> blocks = write(f, codec);
    flip(f, blocks.get(2) - 3); // inside the marker that ends block 1
    ContainerFiles.Read r = ContainerFiles.read(f);
    assertThat(r.records()).isEqualTo(expected(0, N));
    assertThat(r.dead()).singleElement().extracting(DeadLetter::getReason).asString()
        .contains("at byte offset " + (blocks.get(2) - 16)).contains("sync marker after the block at offset "
            + blocks.get(1)).contains("decoded exactly and were kept");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "deflate", "snappy"})
  void aDamagedBlockHeaderLosesThatBlockOnly(String codec) throws IOException {
    File f = new File(dir, "x.avro");
    List<Long> blocks = write(f, codec);
    overwrite(f, blocks.get(2), new byte[] {(byte) 0x7f}); // the block count of block 2
    overwrite(f, blocks.get(3) + 1, new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, 0x7f}); // block 3's size
    ContainerFiles.Read r = ContainerFiles.read(f);
    List<LabeledTensorRecord> want = new java.util.ArrayList<>(expected(0, 2 * PER_BLOCK));
    want.addAll(expected(4 * PER_BLOCK, N));
    assertThat(r.records()).isEqualTo(want);
    assertThat(r.dead()).hasSize(2);
    assertThat(r.dead().get(0).getReason()).contains(f.toURI().getPath()).contains("at byte offset " + blocks.get(2))
        .contains("reading resumes at offset " + blocks.get(3));
    assertThat(r.dead().get(1).getReason()).contains("at byte offset " + blocks.get(3))
        .contains("reading resumes at offset " + blocks.get(4));
    assertThat(r.dead().get(0).getPayload().remaining()).isBetween(1, ContainerReader.PAYLOAD_PREFIX);
    assertThat(r.dead().get(0).getStage()).isEqualTo("source");
  }

  @Test
  void damagedCompressedDataLosesThatBlockOnly() throws IOException {
    File f = new File(dir, "x.avro");
    List<Long> blocks = write(f, "deflate");
    long middle = (blocks.get(1) + blocks.get(2)) / 2;
    overwrite(f, middle, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    ContainerFiles.Read r = ContainerFiles.read(f);
    List<LabeledTensorRecord> want = new java.util.ArrayList<>(expected(0, PER_BLOCK));
    want.addAll(expected(2 * PER_BLOCK, N));
    assertThat(r.records()).isEqualTo(want);
    assertThat(r.dead()).singleElement().extracting(DeadLetter::getReason).asString()
        .contains("at byte offset " + blocks.get(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "deflate"})
  void aTruncatedFileYieldsTheCompleteBlocksAndADeadLetterForTheCut(String codec) throws IOException {
    File f = new File(dir, "x.avro");
    List<Long> blocks = write(f, codec);
    long cut = (blocks.get(3) + blocks.get(4)) / 2;
    try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
      raf.setLength(cut);
    }
    ContainerFiles.Read r = ContainerFiles.read(f);
    assertThat(r.records()).isEqualTo(expected(0, 3 * PER_BLOCK));
    assertThat(r.dead()).singleElement().extracting(DeadLetter::getReason).asString()
        .contains("at byte offset " + blocks.get(3)).contains("truncated").contains("the rest of the file is lost");
  }

  @Test
  void aBlockLargerThanTheLimitIsADeadLetterAndTheNextBlocksAreRead() throws IOException {
    File f = new File(dir, "x.avro");
    List<Long> blocks = ContainerFiles.write(f, ContainerFiles.spec(N, 6), N, PER_BLOCK, CodecFactory.nullCodec());
    // a limit just under block 0's size: blocks are the same size, so every block is refused alike,
    // and each becomes one dead letter without its data being read into memory
    int size = (int) (blocks.get(1) - blocks.get(0)) - 16 - 4;
    ContainerFiles.Read r = ContainerFiles.readWithBlockLimit(f, size - 10);
    assertThat(r.records()).isEmpty();
    assertThat(r.dead()).hasSize(blocks.size() - 1).first().extracting(DeadLetter::getReason).asString()
        .contains("(8 records) is larger than the limit of " + (size - 10)).contains("reading resumes at offset "
            + blocks.get(1));
    assertThat(ContainerFiles.readWithBlockLimit(f, size + 10).records()).isEqualTo(expected(0, N));
  }

  @Test
  void aFileWithoutAValidHeaderIsOneDeadLetter() throws IOException {
    File f = new File(dir, "x.avro");
    Files.writeString(f.toPath(), "label,input\n1,2\n");
    ContainerFiles.Read r = ContainerFiles.read(f);
    assertThat(r.records()).isEmpty();
    assertThat(r.dead()).singleElement().extracting(DeadLetter::getReason).asString()
        .contains("not a readable Avro container file").contains("magic");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "deflate"})
  void restoringFromAnyElementsPositionYieldsExactlyTheRest(String codec) throws IOException {
    File f = new File(dir, "x.avro");
    List<Long> blocks = write(f, codec);
    overwrite(f, blocks.get(2) + 1, new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0x7f}); // damage block 2
    ContainerFiles.Read all = ContainerFiles.read(f);
    int elements = all.positions().size();
    assertThat(all.dead()).hasSize(1);
    for (int k = 0; k < elements; k++) {
      ContainerFiles.Read rest = ContainerFiles.read(f, all.positions().get(k));
      assertThat(rest.records().size() + rest.dead().size()).as("after element %d", k).isEqualTo(elements - k - 1);
      assertThat(all.records()).endsWith(rest.records().toArray(LabeledTensorRecord[]::new));
    }
    ContainerFiles.Read fromStart = ContainerFiles.read(f, new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 0));
    assertThat(fromStart.records()).isEqualTo(all.records());
  }

  /** The byte offset of every block of {@code f}, read with Avro's own reader. */
  static long[] blockStarts(File f) throws IOException {
    try (org.apache.avro.file.DataFileReader<Object> r = new org.apache.avro.file.DataFileReader<>(f,
        new org.apache.avro.generic.GenericDatumReader<>())) {
      List<Long> starts = new java.util.ArrayList<>();
      starts.add(r.previousSync());
      while (r.hasNext()) {
        r.nextBlock();
        starts.add(r.previousSync());
      }
      starts.remove(starts.size() - 1);
      return starts.stream().mapToLong(Long::longValue).toArray();
    }
  }

  static void flip(File f, long at) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
      raf.seek(at);
      int b = raf.read();
      raf.seek(at);
      raf.write(b ^ 0xff);
    }
  }

  static void overwrite(File f, long at, byte[] bytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(f, "rw")) {
      raf.seek(at);
      raf.write(bytes);
    }
  }
}
