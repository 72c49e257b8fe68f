package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid encoded records (fixed seed): each either decodes or is rejected with
 * an {@link UndecodableException}; nothing else is thrown.
 */
class CodecFuzzTest {
  private static final int CASES = 4000;

  @Test
  void mutatedLabeledRecords() {
    fuzz(SingleObjectCodec.of(LabeledTensorRecord.class), Samples.labeled("model-a", 11), 1);
  }

  @Test
  void mutatedTensorRecords() {
    fuzz(SingleObjectCodec.of(TensorRecord.class), Samples.tensorRecord("k", 2), 2);
  }

  @Test
  void mutatedSnapshots() {
    fuzz(SingleObjectCodec.of(FilterSnapshot.class), Samples.snapshot("model-a", 5), 3);
  }

  private static <T extends SpecificRecord> void fuzz(SingleObjectCodec<T> codec, T sample, long seed) {
    byte[] valid = codec.encode(sample);
    Random rnd = new Random(seed);
    int decoded = 0;
    int rejected = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] mutated = mutate(valid, rnd);
      try {
        assertThat(codec.decode(mutated)).isNotNull();
        decoded++;
      } catch (UndecodableException e) {
        assertThat(e.reason()).isNotBlank();
        rejected++;
      } catch (RuntimeException | Error e) {
        throw new AssertionError("case " + i + " threw " + e + " for " + Arrays.toString(mutated), e);
      }
    }
    // both outcomes occur: data bytes can change freely, structure bytes cannot
    assertThat(decoded).isPositive();
    assertThat(rejected).isPositive();
    assertThat(decoded + rejected).isEqualTo(CASES);
  }

  private static byte[] mutate(byte[] valid, Random rnd) {
    byte[] b = valid.clone();
    switch (rnd.nextInt(5)) {
      case 0 -> { // flip bits in a few bytes
        for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
          b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
      }
      case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate
      case 3 -> { // insert a random byte
        int at = rnd.nextInt(b.length + 1);
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, at);
        c[at] = (byte) rnd.nextInt(256);
        System.arraycopy(b, at, c, at + 1, b.length - at);
        b = c;
      }
      default -> { // delete a byte
        int at = rnd.nextInt(b.length);
        byte[] c = new byte[b.length - 1];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + 1, c, at, b.length - at - 1);
        b = c;
      }
    }
    return b;
  }
}
