package dev.natter.cli;

import picocli.CommandLine.Option;

/** The {@code --password-stdin} option, and reading the password it says where to find. */
public final class PasswordOption {
  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean fromStdin;

  /**
   * The password: the first line of standard input with {@code --password-stdin}, else typed at the
   * console (see {@link Prompts#password}).
   *
   * @param context where standard input comes from
   * @param confirm whether to ask twice at the console (a new password)
   * @return the password, not empty
   * @throws CliException a usage error when there is none
   */
  public String read(CliContext context, boolean confirm) {
    return Prompts.password(context, fromStdin, confirm);
  }
}
