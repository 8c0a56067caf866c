package dev.natter.cli.term;

import dev.natter.core.model.FileInfo;
import java.util.Locale;

/** How a file in a message is shown on the terminal: {@code [file: spec.pdf 1.2 MB f-123]}. */
public final class FileLabel {
  private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

  private FileLabel() {}

  /**
   * The label of a file, sanitized: its name, its size for people and its id (what {@code natter
   * download} takes).
   *
   * @param file the file
   * @return the label
   */
  public static String of(FileInfo file) {
    return "[file: "
        + Sanitizer.line(file.name())
        + " "
        + size(file.size())
        + " "
        + Sanitizer.line(file.id())
        + "]";
  }

  /**
   * A size for people, in decimal units: {@code 512 B}, {@code 48.2 kB}, {@code 1.2 MB}.
   *
   * @param bytes the size in bytes
   * @return the size with its unit
   */
  public static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
