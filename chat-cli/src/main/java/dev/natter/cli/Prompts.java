package dev.natter.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads secrets and answers: from standard input when asked to, else from the console. */
public final class Prompts {
  private Prompts() {}

  /**
   * A password: the first line of standard input with {@code fromStdin}, else typed at the console
   * without echo (twice when {@code confirm}).
   */
  public static String password(CliContext context, boolean fromStdin, boolean confirm) {
    if (fromStdin) {
      String line = firstLine(context);
      if (line == null || line.isEmpty()) {
        throw CliException.usage("no password on standard input");
      }
      return line;
    }
    Console console = System.console();
    if (console == null) {
      throw CliException.usage("no terminal to ask for the password: use --password-stdin");
    }
    char[] pw = console.readPassword("password: ");
    if (pw == null || pw.length == 0) {
      throw CliException.usage("no password given");
    }
    if (confirm) {
      char[] again = console.readPassword("repeat password: ");
      if (again == null || !new String(again).equals(new String(pw))) {
        throw CliException.usage("the passwords differ");
      }
    }
    return new String(pw);
  }

  /** A value typed at the console, for a missing required answer. */
  public static String ask(String what) {
    Console console = System.console();
    if (console == null) {
      throw CliException.usage("missing " + what + " (no terminal to ask for it)");
    }
    String v = console.readLine(what + ": ");
    if (v == null || v.isBlank()) {
      throw CliException.usage("missing " + what);
    }
    return v.strip();
  }

  /** The first line of standard input, without its line end. */
  public static String firstLine(CliContext context) {
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8));
      return r.readLine();
    } catch (IOException e) {
      throw CliException.failure("cannot read standard input: " + e.getMessage(), e);
    }
  }

  /** All of standard input. */
  public static String all(CliContext context) {
    try {
      return new String(context.stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.failure("cannot read standard input: " + e.getMessage(), e);
    }
  }
}
