package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import dev.natter.core.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message search in the browser: the search box finds messages only in rooms the searcher belongs
 * to, newest first, with the match highlighted and the snippet shown as text; a hit opens its room
 * at that message, paging back when it is older than the loaded history.
 */
class SearchE2eTest extends BrowserTestBase {
  static final String DRILL = "Reminder: the rollback drill starts Friday at 09:00";
  static final String HOSTILE = "<img src=x onerror=window.__pwned=1> rollback checklist";
  static final String SECRET = "rollback secret: hunter2";
  static final String ASK = "Can we go over the rollback later?";

  /** Newer messages written after DRILL: more than the UI's first page (50). */
  static final int NEWER = 60;

  @TempDir static Path dataDir;
  static NatterUnderTest natter;

  @BeforeAll
  static void startServer() {
    // The default send rate (20 per 10 s) would make writing a few pages of history slow.
    natter =
        new NatterUnderTest(dataDir, Limits.defaults().withSendRate(1000, Duration.ofSeconds(1)))
            .start();
  }

  @AfterAll
  static void stopServer() {
    if (natter != null) {
      natter.close();
    }
  }

  @Test
  void searchFindsOnlyMyRoomsAndAHitOpensTheMessage() {
    String base = natter.origin();
    ChatUi alice = person("alice", base).open().register("alice", "Alice Martin");
    ChatUi bob = person("bob", base).registerByApi("bob", "Bob Chen");

    // Bob has a room with Alice and a private one of his own.
    String operations = bob.createRoom("operations", List.of("alice"));
    String mine = bob.createRoom("bob-private", List.of());
    bob.openRoom(mine);
    bob.sendAndConfirm(SECRET);

    // In the shared room: the message Alice will look for, then well over a page of newer ones.
    bob.openRoom(operations);
    bob.sendAndConfirm(DRILL);
    for (int i = 1; i <= NEWER; i++) {
      bob.send("status update " + i);
    }
    assertThat(bob.messageExactly("status update " + NEWER)).hasAttribute("data-status", "sent");
    bob.sendAndConfirm(HOSTILE);
    // And the newest match, in Alice's DM with Bob.
    String dm = alice.startDm("bob");
    alice.sendAndConfirm(ASK);

    // Positive control: Bob, a member of all three rooms, finds his private message.
    Locator bobHits = search(bob, "rollback");
    assertThat(bobHits).hasCount(4);
    assertThat(bobHits.filter(new Locator.FilterOptions().setHasText("hunter2"))).hasCount(1);
    bob.page().getByTestId("search-close").click();

    // Alice searches everything she is in (Ctrl+K goes to the search box).
    alice.page().keyboard().press("Control+K");
    assertThat(alice.page().getByTestId("search-input")).isFocused();
    Locator hits = search(alice, "rollback");
    Locator panel = alice.page().getByTestId("search-panel");
    assertThat(hits).hasCount(3);
    assertThat(panel.getByTestId("search-summary"))
        .hasText("3 results for “rollback” in all your rooms");
    // Newest first: her DM message, then Bob's two in #operations; never Bob's private room.
    assertThat(hits.nth(0)).hasAttribute("data-room-id", dm);
    assertThat(hits.nth(0).getByTestId("search-hit-room")).hasText("Bob Chen");
    assertThat(hits.nth(0).getByTestId("search-hit-sender")).hasText("Alice Martin");
    assertThat(hits.nth(1)).hasAttribute("data-room-id", operations);
    assertThat(hits.nth(1).getByTestId("search-hit-room")).hasText("#operations");
    assertThat(hits.nth(1).getByTestId("search-hit-sender")).hasText("Bob Chen");
    assertThat(hits.nth(2)).hasAttribute("data-room-id", operations);
    assertThat(hits.nth(2).getByTestId("search-hit-snippet")).hasText(DRILL);
    assertThat(hits.nth(2).getByTestId("search-hit-match")).hasText("rollback");
    assertThat(hits.nth(2).getByTestId("search-hit-time")).hasText(Pattern.compile("\\d"));
    assertThat(panel).not().containsText("hunter2");
    assertThat(panel).not().containsText("bob-private");
    assertThat(panel.locator("[data-room-id='" + mine + "']")).hasCount(0);
    // The hostile snippet is text: no element, the handler never runs.
    assertThat(hits.nth(1).getByTestId("search-hit-snippet"))
        .containsText("onerror=window.__pwned=1> rollback checklist");
    assertThat(panel.locator("img")).hasCount(0);

    // The HTTP API agrees: nothing from Bob's private room for Alice, 403 for scoping to it.
    APIResponse aliceApi = alice.get("/api/search?q=hunter2");
    assertThat(aliceApi.status()).isEqualTo(200);
    assertThat(aliceApi.text()).isEqualTo("[]");
    assertThat(alice.get("/api/search?q=rollback&room=" + mine).status()).isEqualTo(403);

    // A click on the oldest hit opens #operations and pages back to it: it is shown, highlighted.
    hits.nth(2).click();
    assertThat(alice.conversation()).hasAttribute("data-room-id", operations);
    Locator target = alice.messageExactly(DRILL);
    assertThat(target).hasAttribute("data-highlighted", "true");
    assertThat(target).isInViewport();
    assertThat(alice.messages()).hasCount(NEWER + 2); // the whole room, older pages included
    assertThat(alice.page().getByTestId("search-panel")).isVisible(); // results stay open

    // "This room" searches #operations only (changing the scope searches again).
    alice.page().getByTestId("search-scope").selectOption("room");
    assertThat(panel.getByTestId("search-summary"))
        .hasText("2 results for “rollback” in #operations");
    assertThat(hits).hasCount(2);

    // Nothing matches: the empty state; the text stays in the box.
    search(alice, "zanzibar");
    assertThat(panel.getByTestId("search-empty")).hasText("No messages match “zanzibar”.");
    assertThat(alice.page().getByTestId("search-input")).hasValue("zanzibar");

    // Escape closes the results.
    alice.page().getByTestId("search-input").press("Escape");
    assertThat(panel).isHidden();

    alice.page().waitForTimeout(300); // a failed image would have fired its handler by now
    assertThat(alice.page().evaluate("() => typeof window.__pwned")).isEqualTo("undefined");
  }

  /** Types {@code q} into the search box and submits it; returns the hits once they are shown. */
  private static Locator search(ChatUi person, String q) {
    Locator input = person.page().getByTestId("search-input");
    input.fill(q);
    input.press("Enter");
    Locator panel = person.page().getByTestId("search-panel");
    assertThat(panel).isVisible();
    assertThat(panel.locator("[data-status='loading']")).hasCount(0);
    return panel.getByTestId("search-hit");
  }

  /** Creates a private room over HTTP with {@code person}'s cookie; returns its id. */
}
