package dev.natter.cluster;

import dev.natter.cli.CliContext;
import dev.natter.cli.app.Natter;
import dev.natter.core.security.Pbkdf2PasswordHasher;

/**
 * {@code natter} as the tests start it in a child process: the same command line, with a cheap
 * password hasher (1,000 iterations) so that registering the tests' users costs no CPU the nodes
 * need for chatting.
 */
public final class TestNode {
  private TestNode() {}

  /**
   * Runs natter with these arguments and exits with its exit code.
   *
   * @param args the command line, e.g. {@code serve --port 0 ...}
   */
  public static void main(String[] args) {
    CliContext context = CliContext.system().passwordHasher(new Pbkdf2PasswordHasher(1000));
    System.exit(Natter.commandLine(context).execute(args));
  }
}
