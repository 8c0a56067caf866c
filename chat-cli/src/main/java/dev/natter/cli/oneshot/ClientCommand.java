package dev.natter.cli.oneshot;

import dev.natter.cli.CliContext;
import dev.natter.cli.ServerOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every client command has: the context, its own spec (for its output streams) and the {@code
 * --server} option.
 */
abstract class ClientCommand implements Callable<Integer> {
  final CliContext context;

  @Spec CommandSpec spec;
  @Mixin ServerOption server;

  ClientCommand(CliContext context) {
    this.context = context;
  }
}
