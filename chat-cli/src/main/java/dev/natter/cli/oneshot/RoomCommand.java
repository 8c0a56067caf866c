package dev.natter.cli.oneshot;

import dev.natter.cli.CliContext;
import picocli.CommandLine.Parameters;

/** A client command about one room, named by its first argument (see {@link Rooms#resolve}). */
abstract class RoomCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "ROOM", description = "Room id, name, #name or @user.")
  String room;

  RoomCommand(CliContext context) {
    super(context);
  }
}
