package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.client.Session;
import java.util.Locale;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;

/**
 * Signs in from the terminal: asks for a username and password, and offers to register when they do
 * not sign in. The token is saved by {@link Account#signIn}.
 */
final class LoginPrompt {
  private final LineReader reader;
  private final Account account;
  private final Screen screen;
  private final Lines lines;

  LoginPrompt(LineReader reader, Account account, Screen screen, Lines lines) {
    this.reader = reader;
    this.account = account;
    this.screen = screen;
    this.lines = lines;
  }

  /** Returns whether the user is signed in now. */
  boolean signIn() {
    try {
      String username = reader.readLine("username: ").strip();
      if (username.isEmpty()) {
        return false;
      }
      String password = reader.readLine("password: ", '*');
      try {
        Session in = account.signIn(username, password, false, null);
        screen.print(lines.ok("signed in as " + in.user().username() + "; token saved"));
        return true;
      } catch (CliException e) {
        if (!e.getMessage().contains("not signed in")) {
          throw e;
        }
      }
      String answer =
          reader
              .readLine("wrong password, or no such user. Register '" + username + "'? [y/N] ")
              .strip();
      if (!answer.toLowerCase(Locale.ROOT).startsWith("y")) {
        return false;
      }
      String again = reader.readLine("repeat password: ", '*');
      if (!again.equals(password)) {
        screen.print(lines.error("the passwords differ"));
        return false;
      }
      Session in = account.signIn(username, password, true, null);
      screen.print(
          lines.ok("registered and signed in as " + in.user().username() + "; token saved"));
      return true;
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    } catch (RuntimeException e) {
      screen.print(lines.error(ExitCodes.messageOf(e)));
      return false;
    }
  }
}
