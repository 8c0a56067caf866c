package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextFramesTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 70_000})
  void aFrameIsAFinalUnmaskedTextFrameWithTheShortestLength(int length) throws IOException {
    String text = "a".repeat(length);

    byte[] frame = TextFrames.encode(text);

    DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
    assertThat(in.readUnsignedByte()).isEqualTo(0x81); // FIN, text
    int b1 = in.readUnsignedByte();
    assertThat(b1 & 0x80).as("mask bit").isZero();
    long len = b1 & 0x7f;
    int header = 2;
    if (len == 126) {
      len = in.readUnsignedShort();
      header = 4;
    } else if (len == 127) {
      len = in.readLong();
      header = 10;
    }
    assertThat(len).isEqualTo(length);
    assertThat(header).isEqualTo(length < 126 ? 2 : length <= 65_535 ? 4 : 10);
    assertThat(frame).hasSize(header + length);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "h\u00e9 \u2713 \uD83C\uDF89",
        "\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"
      })
  void thePayloadIsTheUtf8OfTheText(String text) {
    byte[] frame = TextFrames.encode(text);

    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int header = utf8.length < 126 ? 2 : 4;
    assertThat(frame[1] & 0x7f).isEqualTo(utf8.length < 126 ? utf8.length : 126);
    assertThat(Arrays.copyOfRange(frame, header, frame.length)).isEqualTo(utf8);
  }
}
