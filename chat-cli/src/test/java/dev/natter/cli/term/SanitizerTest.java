package dev.natter.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SanitizerTest {

  @Test
  void plainTextIsUntouched() {
    String text = "hello, wörld 👋 — tabs\tand\nnewlines stay; العربية עברית 中文";
    assertThat(Sanitizer.clean(text)).isSameAs(text);
  }

  static Stream<Arguments> hostile() {
    return Stream.of(
        Arguments.of("colour (SGR)", "\u001b[31mred\u001b[0m", "red"),
        Arguments.of("clear screen", "a\u001b[2J\u001b[Hb", "ab"),
        Arguments.of("cursor up and erase line", "ok\u001b[1A\u001b[2Kfake", "okfake"),
        Arguments.of("private mode (alt screen)", "x\u001b[?1049hy", "xy"),
        Arguments.of("OSC title with BEL", "\u001b]0;pwned\u0007text", "text"),
        Arguments.of(
            "OSC 8 hyperlink with ST",
            "\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\",
            "click"),
        Arguments.of("OSC 52 clipboard write", "\u001b]52;c;cm0gLXJmIH4=\u0007after", "after"),
        Arguments.of("DCS string", "\u001bPq#0;2;0;0;0\u001b\\done", "done"),
        Arguments.of("APC string", "\u001b_secret\u001b\\shown", "shown"),
        Arguments.of("charset designation", "a\u001b(0b", "ab"),
        Arguments.of("keypad mode, save cursor", "a\u001b=b\u001b7c", "abc"),
        Arguments.of("8-bit CSI", "a\u009b31mb", "ab"),
        Arguments.of("8-bit OSC with 8-bit ST", "a\u009d0;title\u009cb", "ab"),
        Arguments.of("other C1 (NEL, IND)", "a\u0085b\u0084c", "abc"),
        Arguments.of("bell, backspace, DEL", "a\u0007b\u0008c\u007fd", "abcd"),
        Arguments.of("carriage return overwrite", "innocent\rEVIL", "innocentEVIL"),
        Arguments.of("NUL and vertical tab, FF", "a\u0000b\u000bc\u000cd", "abcd"),
        Arguments.of("bidi override (RLO)", "file\u202egnp.exe", "filegnp.exe"),
        Arguments.of("bidi embeddings and PDF", "\u202aa\u202bb\u202cc\u202dd", "abcd"),
        Arguments.of("bidi isolates", "\u2066a\u2067b\u2068c\u2069d", "abcd"),
        Arguments.of("trailing lone ESC", "abc\u001b", "abc"),
        Arguments.of("unterminated CSI", "abc\u001b[12;", "abc"),
        Arguments.of("unterminated OSC", "abc\u001b]0;title never ends", "abc"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileSequencesAreRemovedWhole(String name, String hostile, String expected) {
    String cleaned = Sanitizer.clean(hostile);
    assertThat(cleaned).as(name).isEqualTo(expected);
    assertNoControls(cleaned);
  }

  @Test
  void newlinesAndTabsSurviveInBodiesButNotInLines() {
    assertThat(Sanitizer.clean("a\r\nb\tc")).isEqualTo("a\nb\tc");
    assertThat(Sanitizer.line("a\r\nb\tc")).isEqualTo("a b c");
  }

  @Test
  void loneSurrogatesAreDroppedAndPairsKept() {
    assertThat(Sanitizer.clean("a\ud800b\udc00c😀")).isEqualTo("abc😀");
  }

  @Test
  void nullBecomesEmpty() {
    assertThat(Sanitizer.clean(null)).isEmpty();
  }

  @Test
  void randomHostileInputNeverLeavesAControlCharacter() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    char[] alphabet = {
      0x1B, '[', ']', '\\', 0x07, 0x9B, 0x9C, 0x9D, 0x85, 'a', 'm', '0', ';', '\n', '\r', '\t',
      0x202E, 0x2067, 0x7F, 0x00, 'P', '_', 0xD800, 0xDC00, '?', 'é'
    };
    for (int round = 0; round < 20_000; round++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(40);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String cleaned = Sanitizer.clean(sb.toString());
      try {
        assertNoControls(cleaned);
        assertThat(Sanitizer.clean(cleaned)).isEqualTo(cleaned);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ", input " + escape(sb.toString()), e);
      }
    }
  }

  private static void assertNoControls(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F);
      assertThat(control || Sanitizer.isBidiControl(c))
          .as("control U+%04X at %d in %s", (int) c, i, escape(s))
          .isFalse();
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))).isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).isFalse();
      }
    }
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars()
        .forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", c) : (char) c));
    return sb.toString();
  }
}
