package dev.natter.core;

import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a connection's commands into {@link Messaging} operations and their answers: {@code ack}
 * for a send once it is stored, {@code ok} for edits and the like, the replayed messages and {@code
 * synced} for a sync, a {@code history} page. The rules themselves live in {@link Messaging} and
 * {@link AccessPolicy}.
 */
final class CommandDispatcher implements CommandHandler {
  private final Messaging messaging;
  private final LiveClients clients;

  CommandDispatcher(Messaging messaging, LiveClients clients) {
    this.messaging = messaging;
    this.clients = clients;
  }

  @Override
  public void execute(ConnectedClient client, ClientCommand command) {
    User me = client.user();
    if (command instanceof ClientCommand.Send c) {
      send(client, c);
    } else if (command instanceof ClientCommand.Edit c) {
      messaging.edit(me, c.room(), c.messageId(), c.body());
      client.deliver(new ServerEvent.Ok(c.id()));
    } else if (command instanceof ClientCommand.Delete c) {
      messaging.delete(me, c.room(), c.messageId());
      client.deliver(new ServerEvent.Ok(c.id()));
    } else if (command instanceof ClientCommand.React c) {
      messaging.react(me, c.room(), c.messageId(), c.emoji(), c.on());
      client.deliver(new ServerEvent.Ok(c.id()));
    } else if (command instanceof ClientCommand.Typing c) {
      messaging.typing(me, c.room(), c.active());
    } else if (command instanceof ClientCommand.Read c) {
      messaging.markRead(me, c.room(), c.seq());
    } else if (command instanceof ClientCommand.Sync c) {
      sync(client, c);
    } else if (command instanceof ClientCommand.History c) {
      MessagePage page = messaging.history(me, c.room(), c.before(), c.limit());
      client.deliver(
          new ServerEvent.HistoryPage(c.id(), c.room(), page.messages(), page.hasMore()));
    } else {
      throw new ChatException.BadRequest("unknown command");
    }
  }

  @Override
  public void detached(ConnectedClient client) {
    clients.remove(client);
  }

  private void send(ConnectedClient client, ClientCommand.Send c) {
    messaging
        .send(client.user(), c.room(), c.clientMsgId(), c.body(), c.replyTo(), c.fileIds())
        .whenComplete(
            (m, error) -> {
              if (error != null) {
                client.fail(c.id(), ChatException.from(error));
              } else {
                client.deliver( // a resend gets the original ack, even from another room
                    new ServerEvent.Ack(
                        c.id(), c.clientMsgId(), m.room(), m.seq(), m.messageId(), m.ts()));
              }
            });
  }

  /** Replays each room in id order; a room that fails gets its error, the others go on. */
  private void sync(ConnectedClient client, ClientCommand.Sync c) {
    if (c.rooms().size() > Validation.MAX_SYNC_ROOMS) {
      throw new ChatException.TooLarge("sync at most " + Validation.MAX_SYNC_ROOMS + " rooms");
    }
    messaging.requireReadBudget(client.user());
    if (c.rooms().isEmpty()) {
      client.deliver(new ServerEvent.Ok(c.id()));
      return;
    }
    for (Map.Entry<String, Long> entry : new TreeMap<>(c.rooms()).entrySet()) {
      String roomId = entry.getKey();
      try {
        Messaging.Replay replay =
            messaging.replay(client.user(), roomId, Validation.seq(entry.getValue(), "lastSeq"));
        for (Message m : replay.messages()) {
          client.deliver(new ServerEvent.MessageEvent(m, null));
        }
        client.deliver(new ServerEvent.Synced(c.id(), roomId, replay.upToSeq(), replay.limited()));
      } catch (ChatException e) {
        client.fail(c.id(), e);
      }
    }
  }
}
