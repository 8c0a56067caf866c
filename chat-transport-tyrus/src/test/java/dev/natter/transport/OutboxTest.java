package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What waits behind a connection's write in flight: order, gathering, coalescing, bytes. */
class OutboxTest {

  private static byte[] frame(String text) {
    return TextFrames.encode(text);
  }

  /** Splits concatenated frames back (server frames: unmasked, lengths below 64 KiB here). */
  private static List<String> frames(byte[] bytes) {
    List<String> out = new ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      int len = bytes[at + 1] & 0x7F;
      int header = 2;
      if (len == 126) {
        len = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
        header = 4;
      }
      assertThat(bytes[at] & 0xFF).isEqualTo(0x81);
      out.add(new String(bytes, at + header, len, java.nio.charset.StandardCharsets.UTF_8));
      at += header + len;
    }
    assertThat(at).isEqualTo(bytes.length);
    return out;
  }

  @Test
  void waitingFramesLeaveInOrderAsOneWrite() {
    Outbox box = new Outbox();
    assertThat(box.take()).isNull();
    for (int i = 0; i < 5; i++) {
      assertThat(box.add(frame("m" + i), null)).isZero();
    }
    assertThat(box.bytes()).isEqualTo(5 * 4);

    assertThat(frames(box.take())).containsExactly("m0", "m1", "m2", "m3", "m4");
    assertThat(box.isEmpty()).isTrue();
    assertThat(box.bytes()).isZero();
    assertThat(box.take()).isNull();
  }

  @Test
  void aNewerFrameWithTheSameKeyReplacesTheWaitingOneAndTakesTheLastPlace() {
    Outbox box = new Outbox();
    byte[] aliceOnline = frame("alice online");
    box.add(aliceOnline, "alice");
    box.add(frame("message 1"), null);
    box.add(frame("bob online"), "bob");

    int replaced = box.add(frame("alice offline"), "alice");

    assertThat(replaced).isEqualTo(aliceOnline.length);
    assertThat(frames(box.take())).containsExactly("message 1", "bob online", "alice offline");
    assertThat(box.isEmpty()).isTrue();
  }

  @Test
  void aKeyWhoseFrameLeftIsNewAgain() {
    Outbox box = new Outbox();
    box.add(frame("alice online"), "alice");
    assertThat(frames(box.take())).containsExactly("alice online");

    assertThat(box.add(frame("alice offline"), "alice")).isZero();
    assertThat(frames(box.take())).containsExactly("alice offline");
  }

  @Test
  void aBurstOfChangesCostsOneFramePerKey() {
    Outbox box = new Outbox();
    for (int round = 0; round < 100; round++) {
      for (int user = 0; user < 50; user++) {
        box.add(frame("user" + user + " " + (round % 2 == 0 ? "online" : "offline")), user);
      }
    }
    List<String> left = frames(box.take());
    assertThat(left).hasSize(50);
    assertThat(left.get(0)).isEqualTo("user0 offline");
    assertThat(left.get(49)).isEqualTo("user49 offline");
    assertThat(box.isEmpty()).isTrue();
  }

  @Test
  void oneWriteCarriesAtMostTheCapAndTheRestFollows() {
    Outbox box = new Outbox();
    String big = "x".repeat(20_000);
    for (int i = 0; i < 10; i++) {
      box.add(frame(i + big), null);
    }
    List<String> all = new ArrayList<>();
    int writes = 0;
    for (byte[] b = box.take(); b != null; b = box.take()) {
      assertThat(b.length).isLessThanOrEqualTo(Outbox.MAX_WRITE_BYTES);
      all.addAll(frames(b));
      writes++;
    }
    assertThat(writes).isEqualTo(4); // 3 frames of ~20 KB per write
    assertThat(all).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(all.get(i)).startsWith(String.valueOf(i));
    }
  }

  @Test
  void aFrameLargerThanTheCapLeavesAlone() {
    Outbox box = new Outbox();
    byte[] huge = new byte[Outbox.MAX_WRITE_BYTES + 10];
    box.add(frame("before"), null);
    box.add(huge, null);
    box.add(frame("after"), null);

    assertThat(frames(box.take())).containsExactly("before");
    assertThat(box.take()).isSameAs(huge);
    assertThat(frames(box.take())).containsExactly("after");
  }

  @Test
  void clearDropsEverything() {
    Outbox box = new Outbox();
    box.add(frame("a"), "k");
    box.add(frame("b"), null);
    box.clear();
    assertThat(box.isEmpty()).isTrue();
    assertThat(box.take()).isNull();
    assertThat(box.add(frame("c"), "k")).isZero();
    assertThat(frames(box.take())).containsExactly("c");
  }

  /** Random adds and takes against a plain model: same frames, same order, same byte count. */
  @Test
  void randomAddsAndTakesMatchAModel() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Outbox box = new Outbox();
    List<String[]> model = new ArrayList<>(); // {key or null, text}
    List<String> written = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    int n = 0;
    for (int step = 0; step < 5_000; step++) {
      if (random.nextInt(4) == 0) {
        byte[] b = box.take();
        if (b == null) {
          assertThat(model).as("seed %d", seed).isEmpty();
        } else {
          written.addAll(frames(b));
          // the model takes the same number of frames from its front
          int taken = frames(b).size();
          for (int i = 0; i < taken; i++) {
            expected.add(model.remove(0)[1]);
          }
        }
      } else {
        String key = random.nextBoolean() ? null : "k" + random.nextInt(5);
        String text = "f" + n++ + "x".repeat(random.nextInt(300));
        if (key != null) {
          model.removeIf(e -> key.equals(e[0]));
        }
        model.add(new String[] {key, text});
        box.add(frame(text), key);
      }
      int modelBytes = 0;
      for (String[] e : model) {
        modelBytes += frame(e[1]).length;
      }
      assertThat(box.bytes()).as("seed %d", seed).isEqualTo(modelBytes);
    }
    assertThat(written).as("seed %d", seed).isEqualTo(expected);
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    for (byte[] b = box.take(); b != null; b = box.take()) {
      rest.writeBytes(b);
    }
    List<String> left = frames(rest.toByteArray());
    assertThat(left).as("seed %d", seed).isEqualTo(model.stream().map(e -> e[1]).toList());
  }
}
