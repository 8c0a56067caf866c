package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two people in two isolated browsers talk in a DM through the real server; a third person, in a
 * third browser, must see none of it.
 */
class DirectMessageE2eTest extends BrowserTestBase {
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
  void twoPeopleChatInRealTimeAndAnOutsiderSeesNothing() {
    String base = natter.origin();

    // The outsider's browser records every WebSocket frame it receives, from the very start.
    ChatUi carol = person("carol", base);
    List<String> carolFrames = new CopyOnWriteArrayList<>();
    carol.page().onWebSocket(ws -> ws.onFrameReceived(f -> carolFrames.add(f.text())));

    ChatUi alice = person("alice", base).open().register("alice", "Alice Martin");
    ChatUi bob = person("bob", base).open().register("bob", "Bob Chen");
    carol.open().register("carol", "Carol Diaz");

    // Alice finds Bob by username and opens the DM; it appears in Bob's sidebar by itself.
    String dm = alice.startDm("bob");
    assertThat(alice.page().getByTestId("conversation-title")).containsText("Bob Chen");
    assertThat(bob.roomItem(dm)).isVisible();
    assertThat(bob.roomItem(dm).getByTestId("room-name")).hasText("Alice Martin");
    assertThat(bob.unreadBadge(dm)).isHidden();

    // Bob also has a second tab open; neither has the DM open.
    ChatUi bobTab2 = anotherTab(bob, "bob-tab2").open();
    bobTab2.assertOnline();
    assertThat(bobTab2.roomItem(dm)).isVisible();

    // Presence: both are connected, each sees the other online.
    assertThat(alice.headerPresence()).hasAttribute("data-status", "online");
    assertThat(alice.page().getByTestId("conversation-subtitle")).hasText("Online");
    assertThat(bob.roomItem(dm).getByTestId("presence-dot")).hasAttribute("data-status", "online");

    // Unread counts grow on both of Bob's tabs while the DM is not open.
    alice.sendAndConfirm("Hi Bob! Are you there?");
    assertThat(bob.unreadBadge(dm)).hasText("1");
    assertThat(bobTab2.unreadBadge(dm)).hasText("1");
    alice.sendAndConfirm("I have the release notes ready.");
    assertThat(bob.unreadBadge(dm)).hasText("2");
    assertThat(bobTab2.unreadBadge(dm)).hasText("2");
    assertThat(bob.roomItem(dm)).hasAttribute("aria-label", Pattern.compile(", 2 unread$"));
    assertThat(bobTab2.page()).hasTitle("(2) Natter");
    assertThat(bob.roomItem(dm).getByTestId("room-preview"))
        .containsText("I have the release notes ready.");

    // Bob opens the DM in one tab: the messages are there in order, the badge goes on both tabs.
    bob.openRoom(dm);
    assertThat(bob.messageTexts())
        .hasText(new String[] {"Hi Bob! Are you there?", "I have the release notes ready."});
    assertThat(bob.unreadBadge(dm)).isHidden();
    assertThat(bobTab2.unreadBadge(dm)).isHidden();
    assertThat(bobTab2.page()).hasTitle("Natter");

    // Typing indicator: Bob types (without sending), Alice sees it; he clears the box, it goes.
    assertThat(alice.typingIndicator()).hasAttribute("data-active", "false");
    bob.composer()
        .pressSequentially("Yes, here", new Locator.PressSequentiallyOptions().setDelay(20));
    assertThat(alice.typingIndicator()).hasText("Bob Chen is typing…");
    assertThat(alice.typingIndicator()).hasAttribute("data-active", "true");
    bob.composer().fill("");
    assertThat(alice.typingIndicator()).hasAttribute("data-active", "false");

    // Messages both ways, in real time, in the same order on both sides.
    bob.sendAndConfirm("Yes, here. Send them over!");
    assertThat(alice.message("Yes, here. Send them over!")).isVisible();
    alice.sendAndConfirm("Done, check your inbox.");
    assertThat(bob.message("Done, check your inbox.")).isVisible();
    String[] conversation = {
      "Hi Bob! Are you there?",
      "I have the release notes ready.",
      "Yes, here. Send them over!",
      "Done, check your inbox."
    };
    assertThat(alice.messageTexts()).hasText(conversation);
    assertThat(bob.messageTexts()).hasText(conversation);
    // The open DM gets no badge for new messages on the tab that shows it (read as they come)...
    assertThat(bob.unreadBadge(dm)).isHidden();
    // ...and the other tab follows the read marker too.
    assertThat(bobTab2.unreadBadge(dm)).isHidden();

    // A reaction made by Bob appears on Alice's side.
    Locator bobView = bob.messageExactly("Done, check your inbox.");
    bob.react(bobView, "👍");
    assertThat(bob.reaction(bobView, "👍"))
        .hasAttribute("aria-label", Pattern.compile("^👍 1, including you\\."));
    Locator aliceView = alice.messageExactly("Done, check your inbox.");
    assertThat(alice.reaction(aliceView, "👍"))
        .hasAttribute("aria-label", Pattern.compile("^👍 1\\."));
    assertThat(alice.reaction(aliceView, "👍")).hasAttribute("aria-pressed", "false");

    // An edit made by Alice appears on Bob's side, marked as edited.
    Locator aliceFirst = alice.messageExactly("I have the release notes ready.");
    alice.edit(aliceFirst, "I have the release notes and the changelog ready.");
    Locator bobFirst = bob.message("I have the release notes and the changelog ready.");
    assertThat(bobFirst).isVisible();
    assertThat(bobFirst.locator(".edited")).hasText("(edited)");
    assertThat(bob.messageExactly("I have the release notes ready.")).hasCount(0);

    // The outsider: nothing in her sidebar, no frame about the room, and the API refuses her.
    assertThat(carol.roomItem(dm)).hasCount(0);
    assertThat(carol.sidebar()).containsText("No conversations yet");
    assertThat(carol.page().getByText("Hi Bob!")).hasCount(0);
    APIResponse carolRead = carol.get("/api/rooms/" + dm + "/messages");
    assertThat(carolRead.status()).as(carolRead.text()).isEqualTo(403);
    assertThat(carolRead.text()).doesNotContain("release notes");
    APIResponse aliceRead = alice.get("/api/rooms/" + dm + "/messages"); // positive control
    assertThat(aliceRead.status()).isEqualTo(200);
    assertThat(aliceRead.text()).contains("Send them over!");
    APIResponse carolSearch = carol.get("/api/search?q=inbox");
    assertThat(carolSearch.status()).isEqualTo(200);
    assertThat(carolSearch.text()).doesNotContain("inbox");
    APIResponse aliceSearch = alice.get("/api/search?q=inbox"); // positive control
    assertThat(aliceSearch.status()).isEqualTo(200);
    assertThat(aliceSearch.text()).contains("check your inbox");
    assertThat(carolFrames).as("frames Carol's browser received").isNotEmpty(); // she got `ready`
    assertThat(String.join("\n", carolFrames))
        .doesNotContain(dm)
        .doesNotContain("release notes")
        .doesNotContain("inbox")
        .doesNotContain("Send them over");

    // Presence: Bob closes one tab; with the other one still connected he stays online.
    int connections = natter.connectionCount();
    bobTab2.page().close();
    await().atMost(Duration.ofSeconds(10)).until(() -> natter.connectionCount() == connections - 1);
    bob.sendAndConfirm("Closed my other tab.");
    assertThat(alice.message("Closed my other tab.")).isVisible(); // after any presence event
    assertThat(alice.headerPresence()).hasAttribute("data-status", "online");
    // He closes the last one: Alice sees him go offline.
    bob.page().close();
    assertThat(alice.headerPresence()).hasAttribute("data-status", "offline");
    assertThat(alice.page().getByTestId("conversation-subtitle")).hasText("Last seen just now");
    assertThat(alice.roomItem(dm).getByTestId("presence-dot"))
        .hasAttribute("data-status", "offline");
  }
}
