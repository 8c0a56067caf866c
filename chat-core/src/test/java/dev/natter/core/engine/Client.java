package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.natter.core.ConnectedClient;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** One connected fake client: the engine's handle and the connection that records its events. */
final class Client {
  private static final AtomicInteger REQUESTS = new AtomicInteger();

  final User user;
  final ConnectedClient cc;
  final FakeConnection conn;

  Client(User user, ConnectedClient cc, FakeConnection conn) {
    this.user = user;
    this.cc = cc;
    this.conn = conn;
  }

  static String newRequestId() {
    return "req-" + REQUESTS.incrementAndGet();
  }

  static String newClientMsgId() {
    return UUID.randomUUID().toString();
  }

  void handle(ClientCommand command) {
    cc.handle(command);
  }

  ServerEvent.Ready ready() {
    ServerEvent first = conn.events().get(0);
    assertThat(first).isInstanceOf(ServerEvent.Ready.class);
    return (ServerEvent.Ready) first;
  }

  ServerEvent.Ack send(String room, String body) {
    return send(room, newClientMsgId(), body);
  }

  ServerEvent.Ack send(String room, String clientMsgId, String body) {
    return request(
        new ClientCommand.Send(newRequestId(), room, clientMsgId, body, null),
        ServerEvent.Ack.class);
  }

  /** Sends a request and returns its answer; fails if the answer is an error instead. */
  <T extends ServerEvent> T request(ClientCommand command, Class<T> answerType) {
    assertThat(command.id()).as("request id").isNotNull();
    cc.handle(command);
    ServerEvent answer =
        conn.await(
            ServerEvent.class,
            e ->
                command.id().equals(idOf(e))
                    && (answerType.isInstance(e) || e instanceof ServerEvent.Error));
    if (!answerType.isInstance(answer)) {
      fail("expected %s for %s but got %s", answerType.getSimpleName(), command, answer);
    }
    return answerType.cast(answer);
  }

  /** Sends a request that must fail, and returns the error. */
  ServerEvent.Error error(ClientCommand command) {
    return request(command, ServerEvent.Error.class);
  }

  /** The answers (any event carrying the request's id) to one request so far. */
  java.util.List<ServerEvent> answersTo(String requestId) {
    return conn.events().stream().filter(e -> requestId.equals(idOf(e))).toList();
  }

  /** The request id an event answers, or null. */
  static String idOf(ServerEvent e) {
    if (e instanceof ServerEvent.Ack a) {
      return a.id();
    } else if (e instanceof ServerEvent.Ok o) {
      return o.id();
    } else if (e instanceof ServerEvent.Error err) {
      return err.id();
    } else if (e instanceof ServerEvent.Synced s) {
      return s.id();
    } else if (e instanceof ServerEvent.HistoryPage h) {
      return h.id();
    }
    return null;
  }

  @Override
  public String toString() {
    return user.username() + "@" + conn.id();
  }
}
