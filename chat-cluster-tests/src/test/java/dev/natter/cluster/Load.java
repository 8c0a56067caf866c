package dev.natter.cluster;

import dev.natter.client.Outbox;
import dev.natter.core.protocol.ServerEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Senders that keep a few messages in flight each, until stopped: what every message was sent as
 * ({@code clientMsgId}) and how each send ended (ack or failure).
 */
final class Load implements AutoCloseable {
  private static final int IN_FLIGHT = 4;

  final Map<String, CompletableFuture<ServerEvent.Ack>> sent = new ConcurrentHashMap<>();
  private final List<Thread> threads;
  private volatile boolean stop;

  Load(List<Chatter> senders, String room) {
    threads =
        senders.stream()
            .map(
                c -> {
                  Thread t = new Thread(() -> sendUntilStopped(c, room), "load-" + c.username);
                  t.setDaemon(true);
                  t.start();
                  return t;
                })
            .toList();
  }

  private void sendUntilStopped(Chatter c, String room) {
    ArrayDeque<CompletableFuture<ServerEvent.Ack>> window = new ArrayDeque<>();
    int i = 0;
    while (!stop) {
      String id = UUID.randomUUID().toString();
      CompletableFuture<ServerEvent.Ack> f =
          c.send(new Outbox.Entry(id, room, c.username + " " + i++, null));
      sent.put(id, f);
      window.add(f);
      while (window.size() >= IN_FLIGHT && !stop) {
        try {
          window.peek().get(200, TimeUnit.MILLISECONDS);
          window.poll();
        } catch (java.util.concurrent.TimeoutException e) {
          // still waiting (a node may be down: the client resends after its reconnect)
        } catch (Exception e) {
          window.poll(); // failed: recorded in its future
        }
      }
      try {
        Thread.sleep(5); // about 150 messages/s per sender at most
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops sending (what is in flight still completes). */
  @Override
  public void close() {
    stop = true;
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
