package dev.natter.cli.chat;

import org.jline.utils.AttributedStyle;

/** Styles of the terminal client: one stable colour per sender, dim metadata, room labels. */
final class Palette {
  /** Readable on dark and light backgrounds; no black, white or dark blue. */
  private static final int[] SENDER_COLOURS = {
    AttributedStyle.RED,
    AttributedStyle.GREEN,
    AttributedStyle.YELLOW,
    AttributedStyle.MAGENTA,
    AttributedStyle.CYAN,
    AttributedStyle.BRIGHT | AttributedStyle.RED,
    AttributedStyle.BRIGHT | AttributedStyle.GREEN,
    AttributedStyle.BRIGHT | AttributedStyle.YELLOW,
    AttributedStyle.BRIGHT | AttributedStyle.BLUE,
    AttributedStyle.BRIGHT | AttributedStyle.MAGENTA,
    AttributedStyle.BRIGHT | AttributedStyle.CYAN,
  };

  static final AttributedStyle DIM = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT);
  static final AttributedStyle ROOM = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
  static final AttributedStyle NOTICE =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLACK);
  static final AttributedStyle ERROR =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold();
  static final AttributedStyle ME = AttributedStyle.DEFAULT.bold();
  static final AttributedStyle OK = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
  static final AttributedStyle WARN = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);

  /** The body of a message that mentions me: black on yellow, bold. */
  static final AttributedStyle MENTION =
      AttributedStyle.DEFAULT
          .background(AttributedStyle.YELLOW)
          .foreground(AttributedStyle.BLACK)
          .bold();

  /** A file in a message: {@code [file: name size id]}. */
  static final AttributedStyle FILE =
      AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT | AttributedStyle.BLUE);

  private Palette() {}

  /** The colour of a sender: the same user always gets the same one. */
  static AttributedStyle sender(String userId) {
    int h = userId == null ? 0 : userId.hashCode();
    int colour = SENDER_COLOURS[Math.floorMod(h * 31 + (h >>> 16), SENDER_COLOURS.length)];
    return AttributedStyle.DEFAULT.foreground(colour);
  }
}
