package dev.natter.cli.term;

/**
 * Makes text written by other people safe to print on a terminal. It removes, whole, every escape
 * sequence (CSI, OSC, DCS, SOS, PM, APC and two-character ESC sequences, in their 7-bit and 8-bit
 * forms), every other C0 and C1 control character except newline and tab, DEL, and the
 * bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) that can make text read
 * differently from what it is.
 *
 * <p>This is the only place where the terminal client cleans foreign text: every body, username,
 * display name and room name goes through it before it reaches the screen.
 */
public final class Sanitizer {
  private static final char ESC = 0x1B;
  private static final char BEL = 0x07;
  private static final char ST8 = 0x9C; // 8-bit string terminator

  private Sanitizer() {}

  /** Cleans text that may span lines: newlines and tabs stay, everything dangerous goes. */
  public static String clean(String text) {
    if (text == null) {
      return "";
    }
    if (isPlain(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == ESC) {
        i = skipEscape(text, i + 1);
      } else if (c >= 0x80 && c <= 0x9F) {
        i = skipC1(text, c, i + 1);
      } else if (c == '\n' || c == '\t') {
        out.append(c);
        i++;
      } else if (c == '\r') {
        // a lone CR would move the cursor back over what was printed; CRLF becomes LF
        i++;
      } else if (c < 0x20 || c == 0x7F || isBidiControl(c)) {
        i++;
      } else if (Character.isSurrogate(c)) {
        int cp = text.codePointAt(i);
        int len = Character.charCount(cp);
        if (Character.isSupplementaryCodePoint(cp)) {
          out.appendCodePoint(cp);
        } // a lone surrogate is dropped
        i += len;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Cleans text that must stay on one line (names, the status line): also newlines and tabs go. */
  public static String line(String text) {
    String cleaned = clean(text);
    if (cleaned.indexOf('\n') < 0 && cleaned.indexOf('\t') < 0) {
      return cleaned;
    }
    return cleaned.replace('\n', ' ').replace('\t', ' ');
  }

  /** Whether a character is one of the removed bidirectional overrides or isolates. */
  public static boolean isBidiControl(char c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  }

  private static boolean isPlain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F) || isBidiControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Skips what follows an ESC; returns the index after the sequence. */
  private static int skipEscape(String s, int i) {
    if (i >= s.length()) {
      return i;
    }
    char c = s.charAt(i);
    switch (c) {
      case '[':
        return skipCsi(s, i + 1);
      case ']':
      case 'P':
      case 'X':
      case '^':
      case '_':
        return skipString(s, i + 1);
      default:
        break;
    }
    // nF sequences: intermediates (0x20..0x2F) then one final character
    while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x2F) {
      i++;
    }
    if (i < s.length() && s.charAt(i) >= 0x30 && s.charAt(i) <= 0x7E) {
      i++;
    }
    return i;
  }

  private static int skipC1(String s, char c, int i) {
    switch (c) {
      case 0x9B:
        return skipCsi(s, i);
      case 0x9D:
      case 0x90:
      case 0x98:
      case 0x9E:
      case 0x9F:
        return skipString(s, i);
      default:
        return i;
    }
  }

  /** Control sequence: parameters and intermediates (0x20..0x3F), then a final byte. */
  private static int skipCsi(String s, int i) {
    while (i < s.length() && s.charAt(i) >= 0x20 && s.charAt(i) <= 0x3F) {
      i++;
    }
    if (i < s.length() && s.charAt(i) >= 0x40 && s.charAt(i) <= 0x7E) {
      i++;
    }
    return i;
  }

  /** Control string (OSC, DCS, ...): runs to BEL or ST; an unterminated one runs to the end. */
  private static int skipString(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == BEL || c == ST8) {
        return i + 1;
      }
      if (c == ESC) {
        if (i + 1 < s.length() && s.charAt(i + 1) == '\\') {
          return i + 2;
        }
        return i; // a new sequence starts: let the caller handle it
      }
      i++;
    }
    return i;
  }
}
