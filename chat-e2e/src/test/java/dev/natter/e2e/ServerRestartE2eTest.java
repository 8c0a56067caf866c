package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.assertions.LocatorAssertions;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server restarts mid-conversation (same SQLite file, same port): both browsers reconnect by
 * themselves, and a message written during the outage is delivered once, in order.
 */
class ServerRestartE2eTest extends BrowserTestBase {
  /** Reconnecting waits for the UI's backoff (0.25 s, then doubling, with jitter). */
  static final LocatorAssertions.HasAttributeOptions RECONNECT =
      new LocatorAssertions.HasAttributeOptions().setTimeout(30_000);

  @TempDir static Path dataDir;
  static NatterUnderTest natter;

  @BeforeAll
  static void startServer() {
    natter = new NatterUnderTest(dataDir).start();
  }

  @AfterAll
  static void stopServer() {
    if (natter != null) {
      natter.close();
    }
  }

  @Test
  void bothPagesReconnectAfterARestartAndAMessageWrittenOfflineArrivesOnce() {
    String base = natter.origin();
    ChatUi alice = person("alice", base).open().register("alice", "Alice Martin");
    ChatUi bob = person("bob", base).open().register("bob", "Bob Chen");
    String dm = alice.startDm("bob");
    bob.openRoom(dm);

    alice.sendAndConfirm("Before the restart (1)");
    bob.sendAndConfirm("Before the restart (2)");
    assertThat(alice.messageTexts())
        .hasText(new String[] {"Before the restart (1)", "Before the restart (2)"});

    // The server goes away: both pages notice and start reconnecting.
    natter.stop();
    for (ChatUi p : new ChatUi[] {alice, bob}) {
      assertThat(p.connection())
          .hasAttribute("data-state", Pattern.compile("reconnecting|offline"), RECONNECT);
      assertThat(p.connection()).containsText(Pattern.compile("Reconnecting|Offline"));
    }

    // Alice writes while the server is down: the message waits, visibly pending.
    alice.send("Written during the outage");
    assertThat(alice.messageExactly("Written during the outage"))
        .hasAttribute("data-status", "pending");
    assertThat(alice.messageExactly("Written during the outage").getByTestId("message-pending"))
        .isVisible();

    // Same file, same port: the pages come back online without anyone touching them.
    natter.start();
    assertThat(alice.connection()).hasAttribute("data-state", "online", RECONNECT);
    assertThat(bob.connection()).hasAttribute("data-state", "online", RECONNECT);

    // The pending message is delivered: acknowledged on Alice's side, shown once on Bob's.
    assertThat(alice.messageExactly("Written during the outage"))
        .hasAttribute("data-status", "sent");
    String[] expected = {
      "Before the restart (1)", "Before the restart (2)", "Written during the outage"
    };
    assertThat(bob.messageTexts()).hasText(expected);

    // A later message from Bob proves the stream goes on, and nothing was duplicated meanwhile.
    bob.sendAndConfirm("After the restart");
    assertThat(alice.message("After the restart")).isVisible();
    String[] all = {
      "Before the restart (1)",
      "Before the restart (2)",
      "Written during the outage",
      "After the restart"
    };
    assertThat(bob.messageTexts()).hasText(all);
    assertThat(alice.messageTexts()).hasText(all);
    assertThat(bob.messageExactly("Written during the outage")).hasCount(1);
    assertSeqs(bob, 4);
    assertSeqs(alice, 4);

    // What the store kept: a fresh load of Bob's page shows the same history, once.
    bob.page().reload();
    bob.assertOnline();
    bob.openRoom(dm);
    assertThat(bob.messageTexts()).hasText(all);
    assertSeqs(bob, 4);
  }

  /** The rows carry the server's per-room seq: exactly 1, 2, ..., count (no gap, no repeat). */
  private static void assertSeqs(ChatUi p, int count) {
    List<String> seqs = p.messages().all().stream().map(m -> m.getAttribute("data-seq")).toList();
    List<String> expected =
        IntStream.rangeClosed(1, count).mapToObj(String::valueOf).collect(Collectors.toList());
    Assertions.assertThat(seqs).as("message seqs on %s's page", p.name()).isEqualTo(expected);
  }
}
