package dev.natter.cli.chat;

import dev.natter.cli.term.FileLabel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The uploads in progress, each shown as a line above the status line and updated in place: {@code
 * uploading spec.pdf to #general [#####-----] 48% 1.2 MB of 2.5 MB}. Thread-safe.
 */
final class Transfers {
  private static final int BAR = 20;

  /** One upload. */
  static final class Transfer {
    private final String what;
    private long bytes;
    private long total;
    private int percent = -1;

    private Transfer(String what, long total) {
      this.what = what;
      this.total = total;
    }
  }

  private final Set<Transfer> active = new LinkedHashSet<>();

  /** Starts showing a transfer: {@code what} says what it is ("uploading x to #room"). */
  synchronized Transfer start(String what, long total) {
    Transfer t = new Transfer(what, total);
    active.add(t);
    return t;
  }

  /** Records progress; true when the line changed enough (a whole percent) to redraw it. */
  synchronized boolean progress(Transfer t, long bytes, long total) {
    t.bytes = bytes;
    t.total = total;
    int percent = total > 0 ? (int) Math.min(100, bytes * 100 / total) : 0;
    boolean changed = percent != t.percent;
    t.percent = percent;
    return changed && active.contains(t);
  }

  synchronized void finish(Transfer t) {
    active.remove(t);
  }

  /** The lines to show, one per transfer, oldest first. */
  synchronized List<AttributedString> lines() {
    List<AttributedString> out = new ArrayList<>();
    for (Transfer t : active) {
      int percent = Math.max(0, t.percent);
      int filled = percent * BAR / 100;
      AttributedStringBuilder b = new AttributedStringBuilder();
      b.append(t.what).append(' ');
      b.styled(Palette.OK, "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "]");
      b.append(' ').append(percent + "%");
      b.styled(
          Palette.DIM,
          " " + FileLabel.size(t.bytes) + (t.total >= 0 ? " of " + FileLabel.size(t.total) : ""));
      out.add(b.toAttributedString());
    }
    return out;
  }
}
