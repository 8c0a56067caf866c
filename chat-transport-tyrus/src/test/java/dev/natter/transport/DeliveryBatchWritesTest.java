package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.DeliveryBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events sent to a connection inside one {@link DeliveryBatch} leave in one socket write at the end
 * (up to a write's size), in order, without eating the slow-consumer budget of a reader that reads.
 */
class DeliveryBatchWritesTest {
  private TestServer t;
  private RawWs ws;
  private WsConnection connection;

  @BeforeEach
  void connect() throws Exception {
    t = TestServer.start();
    TestServer.Account alice = t.register("alice");
    ws = RawWs.connect(t.server.port(), alice.token(), 0);
    ws.soTimeout(10_000);
    assertThat(ws.read().text()).contains("\"type\":\"ready\"");
    await().until(() -> t.server.sockets().connections().size() == 1);
    connection = t.server.sockets().connections().get(0);
  }

  @AfterEach
  void close() throws Exception {
    ws.close();
    t.close();
  }

  private double writes() {
    String metrics = t.get("/metrics", null).body();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("natter_ws_writes_total ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no natter_ws_writes_total in /metrics");
  }

  @Test
  void tenEventsOfOneBatchLeaveInOneWriteInOrder() throws Exception {
    double before = writes();

    DeliveryBatch.run(
        () -> {
          for (int i = 0; i < 10; i++) {
            assertThat(connection.send(new ServerEvent.Ok("e" + i))).isTrue();
          }
        });

    for (int i = 0; i < 10; i++) {
      assertThat(ws.read().text()).isEqualTo("{\"type\":\"ok\",\"id\":\"e" + i + "\"}");
    }
    assertThat(writes() - before).isEqualTo(1.0);
  }

  @Test
  void withoutABatchEachEventIsItsOwnWrite() throws Exception {
    double before = writes();

    for (int i = 0; i < 3; i++) {
      connection.send(new ServerEvent.Ok("e" + i));
      assertThat(ws.read().text()).contains("\"e" + i + "\"");
    }

    assertThat(writes() - before).isEqualTo(3.0);
  }

  @Test
  void aBatchLargerThanOneWriteLeavesInSeveralInOrder() throws Exception {
    String filler = "x".repeat(10_000);
    int events = 60; // about 600 kB: ten writes' worth, within the outbound budget
    CompletableFuture<List<String>> received =
        CompletableFuture.supplyAsync(
            () -> {
              List<String> ids = new ArrayList<>();
              try {
                while (ids.size() < events) {
                  RawWs.Frame f = ws.read();
                  assertThat(f.opcode()).isEqualTo(RawWs.TEXT);
                  ids.add(TestServer.json(f.text()).path("id").asText());
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return ids;
            });
    double before = writes();

    DeliveryBatch.run(
        () -> {
          for (int i = 0; i < events; i++) {
            assertThat(
                    connection.send(
                        new ServerEvent.Error("e" + i, ErrorCode.BAD_REQUEST, filler + i)))
                .isTrue();
          }
        });

    List<String> ids = received.get(20, TimeUnit.SECONDS);
    for (int i = 0; i < events; i++) {
      assertThat(ids.get(i)).isEqualTo("e" + i);
    }
    assertThat(writes() - before)
        .isBetween(events * 10_000.0 / Outbox.MAX_WRITE_BYTES, events / 2.0);
    assertThat(connection.isClosing()).isFalse();
  }

  @Test
  void aCloseInsideABatchFollowsTheBatchsFrames() throws Exception {
    DeliveryBatch.run(
        () -> {
          connection.send(new ServerEvent.Ok("first"));
          connection.send(new ServerEvent.Ok("second"));
          connection.close(CloseCode.GOING_AWAY);
        });

    assertThat(ws.read().text()).contains("\"first\"");
    assertThat(ws.read().text()).contains("\"second\"");
    assertThat(ws.read().opcode()).isEqualTo(RawWs.CLOSE);
  }
}
