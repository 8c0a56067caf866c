package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Message text is text: markup stays literal, only http/https/mailto become links. */
class HostileTextE2eTest extends BrowserTestBase {
  static final String IMG = "<img src=x onerror=window.__pwned=1>";
  static final String JS_LINK = "javascript:alert(1)";
  static final String JS_MARKDOWN = "[click me](javascript:alert(2))";
  static final String JS_ANCHOR = "<a href=\"javascript:alert(3)\">click</a>";
  static final String HTTPS = "https://example.org/docs?page=1&lang=en";

  /** A hostile display name: shown in the sidebar, the header and above messages. */
  static final String HOSTILE_NAME = "<img src=y onerror=window.__pwned=2>";

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
  void markupIsShownAsTextAndOnlySafeLinksBecomeAnchors() {
    String base = natter.origin();
    ChatUi mallory = person("mallory", base).open().register("mallory", HOSTILE_NAME);
    ChatUi bob = person("bob", base).open().register("bob", "Bob Chen");
    String dm = mallory.startDm("bob");
    bob.openRoom(dm);

    mallory.sendAndConfirm(IMG);
    mallory.sendAndConfirm("Free prizes: " + JS_LINK);
    mallory.sendAndConfirm(JS_MARKDOWN);
    mallory.sendAndConfirm(JS_ANCHOR);
    mallory.sendAndConfirm("The docs: " + HTTPS + " (read them)");

    for (ChatUi p : new ChatUi[] {bob, mallory}) {
      // Positive control: every message arrived, as the literal text that was typed.
      assertThat(p.messageTexts())
          .hasText(
              new String[] {
                IMG,
                "Free prizes: " + JS_LINK,
                JS_MARKDOWN,
                JS_ANCHOR,
                "The docs: " + HTTPS + " (read them)"
              });

      // The https link is a real anchor that opens safely in a new tab.
      Locator https = p.messageList().locator("a[href='" + HTTPS + "']");
      assertThat(https).hasCount(1);
      assertThat(https).hasText(HTTPS);
      assertThat(https).hasAttribute("target", "_blank");
      String rel = https.getAttribute("rel");
      assertThat(rel).isNotNull();
      assertThat(rel.split("\\s+")).contains("noopener", "noreferrer");
    }

    // Give any injected handler time to run (the image would fail to load at once), then check.
    bob.page().waitForTimeout(500);
    for (ChatUi p : new ChatUi[] {bob, mallory}) {
      // The server's Content-Security-Policy would block an inline handler too: the DOM checks
      // below are what prove that the UI itself never turns text into markup.
      assertThat(p.page().evaluate("() => typeof window.__pwned")).isEqualTo("undefined");
      // No element was made from message or name text: no image anywhere in the app...
      assertThat(p.page().locator("#root img")).hasCount(0);
      // ...and the only anchor in the messages is the https one.
      assertThat(p.messageList().locator("a")).hasCount(1);
      assertThat(p.page().locator("a[href^='javascript' i]")).hasCount(0);
      assertThat(p.page().locator("[onerror]")).hasCount(0);
    }

    // The hostile display name is shown literally where Bob sees it.
    assertThat(bob.roomItem(dm).getByTestId("room-name")).hasText(HOSTILE_NAME);
    assertThat(bob.page().getByTestId("conversation-title")).containsText(HOSTILE_NAME);
    assertThat(bob.messages().first().getByTestId("message-sender")).hasText(HOSTILE_NAME);
  }
}
