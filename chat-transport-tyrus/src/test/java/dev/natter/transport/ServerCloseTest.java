package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A connection the server closes (here a client flooding requests past its rate limit) gets the
 * close frame with its code even while it is still sending, and its sends keep going through until
 * it answers the close: the server lingers after its close frame, reading and dropping what comes,
 * as RFC 6455 has it (7.1.1), instead of ending the connection under the client's feet. A client
 * whose send fails first may report 1006 and never learn why it was closed (the JDK's client does,
 * now and then, on a busy machine).
 */
class ServerCloseTest {

  @Test
  void aClientStillSendingGetsTheCloseFrameAndIsNotCutOffBeforeItAnswers() throws Exception {
    try (TestServer t = TestServer.start()) {
      TestServer.Account mallory = t.register("mallory");
      String room = t.createRoom(mallory, "big", "public");
      byte[] history =
          ("{\"type\":\"history\",\"id\":\"h\",\"room\":\"" + room + "\",\"limit\":1}")
              .getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 10; i++) {
        try (RawWs raw = RawWs.connect(t.server.port(), mallory.token(), 0)) {
          AtomicBoolean stop = new AtomicBoolean();
          Thread flood =
              new Thread(
                  () -> {
                    try {
                      while (!stop.get()) {
                        raw.send(RawWs.TEXT, history);
                      }
                    } catch (IOException closed) {
                      // the server ended the connection
                    }
                  });
          flood.setDaemon(true);
          flood.start();
          RawWs.Frame close = raw.readUntilClose();
          stop.set(true);
          flood.join(10_000);
          assertThat(close.closeCode()).as("try %d", i).isEqualTo(4029);
          // what was on its way when the close arrived is dropped, not refused
          for (int n = 0; n < 20; n++) {
            raw.send(RawWs.TEXT, history);
            Thread.sleep(10);
          }
          raw.send(RawWs.CLOSE, close.payload()); // the client's answer to the close
          raw.soTimeout(5_000);
          assertThat(raw.atEof()).as("nothing after the close frame, then the end").isTrue();
        }
      }
    }
  }
}
