package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.ReducedMotion;
import com.microsoft.playwright.options.ScreenshotAnimations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main screens, each checked for what makes it that screen: sign-in, a conversation with
 * reactions and someone typing, a sidebar with unread and mention badges, search results, a
 * phone-width layout, the dark theme, files and a mention in a group.
 *
 * <p>With {@code -Dnatter.screenshots=docs/screenshots} (relative to the repository root, or
 * absolute) it also saves them as PNG files there; without it, it writes nothing, so {@code verify}
 * leaves the tree clean.
 */
class ScreensE2eTest extends BrowserTestBase {
  @TempDir static Path dataDir;
  static NatterUnderTest natter;

  /** Where to save screenshots, or null when they were not asked for. */
  static final Path OUT = screenshotDirectory();

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
  void mainScreens() {
    String base = natter.origin();
    Consumer<Browser.NewContextOptions> calm = o -> o.setReducedMotion(ReducedMotion.REDUCE);

    // Sign-in.
    ChatUi alice = person("alice", base, calm).open();
    assertThat(alice.page().getByRole(com.microsoft.playwright.options.AriaRole.HEADING))
        .hasText("Sign in to Natter");
    assertThat(alice.page().getByTestId("auth-submit")).hasText("Sign in");
    save(alice.page(), "sign-in.png");

    alice.register("alice", "Alice Martin");
    ChatUi bob = person("bob", base, calm).registerByApi("bob", "Bob Chen");
    ChatUi carol = person("carol", base, calm).registerByApi("carol", "Carol Diaz");

    // A group room and a DM from Carol that Alice has not read.
    assertThat(
            carol
                .post(
                    "/api/rooms",
                    Map.of(
                        "name",
                        "release-planning",
                        "visibility",
                        "private",
                        "members",
                        List.of("alice", "bob")))
                .status())
        .isEqualTo(201);
    Locator carolsRoom =
        carol.roomItems().filter(new Locator.FilterOptions().setHasText("release-planning"));
    String room = carolsRoom.getAttribute("data-room-id");
    carol.openRoom(room);
    carol.sendAndConfirm("Release checklist is up: https://natter.example/checklist");
    carol.sendAndConfirm("@alice can you own the release notes?");
    carol.sendAndConfirm("Freeze is Thursday 12:00 UTC.");
    String carolDm = carol.startDm("alice");
    carol.sendAndConfirm("Coffee later?");
    carol.sendAndConfirm("The new place on Rue Oberkampf is open");

    // The conversation between Alice and Bob.
    String dm = alice.startDm("bob");
    bob.openRoom(dm);
    alice.sendAndConfirm("Morning Bob! Did the nightly build pass?");
    bob.sendAndConfirm("It did, all green 🎉");
    bob.sendAndConfirm("The SQLite store survived the crash test too: no message lost.");
    alice.sendAndConfirm("Great. I'm writing the release notes: https://natter.example/releases");
    bob.send("**Nice.** I'll tag `v0.1.0` after lunch.");
    assertThat(bob.messageExactly("Nice. I'll tag v0.1.0 after lunch."))
        .hasAttribute("data-status", "sent");
    alice.react(alice.messageExactly("It did, all green 🎉"), "❤️");
    bob.react(bob.message("I'm writing the release notes"), "👍");
    alice.react(alice.messageExactly("Nice. I'll tag v0.1.0 after lunch."), "🎉");
    assertThat(alice.reaction(alice.message("I'm writing the release notes"), "👍")).isVisible();

    // The sidebar: badges on what Alice has not opened, none on the open DM.
    assertThat(alice.unreadBadge(room)).hasText("3");
    assertThat(alice.unreadBadge(carolDm)).hasText("2");
    assertThat(alice.unreadBadge(dm)).isHidden();
    assertThat(alice.page()).hasTitle("(5) Natter");
    save(alice.sidebar(), "sidebar-unread.png");

    // Bob types: the conversation with messages, reactions and the typing line.
    bobStartsTyping(bob, alice);
    save(alice.page(), "conversation.png");

    // Search: the results panel, newest first, the matched word highlighted.
    Locator searchBox = alice.page().getByTestId("search-input");
    searchBox.fill("release");
    searchBox.press("Enter");
    Locator hits = alice.page().getByTestId("search-hit");
    assertThat(hits).hasCount(3);
    assertThat(hits.first().getByTestId("search-hit-room")).hasText("Bob Chen");
    assertThat(hits.first().getByTestId("search-hit-match").first()).hasText("release");
    assertThat(hits.last().getByTestId("search-hit-room")).hasText("#release-planning");
    save(alice.page(), "search.png");
    alice.page().getByTestId("search-close").click();
    assertThat(alice.page().getByTestId("search-panel")).isHidden();

    // Phone width: the sidebar hides behind the menu button.
    Consumer<Browser.NewContextOptions> phone =
        o ->
            o.setStorageState(alice.context().storageState())
                .setViewportSize(390, 844)
                .setDeviceScaleFactor(2)
                .setIsMobile(true)
                .setHasTouch(true)
                .setReducedMotion(ReducedMotion.REDUCE);
    ChatUi alicePhone = person("alice-phone", base, phone).open();
    alicePhone.assertOnline();
    assertThat(alicePhone.sidebar()).isHidden();
    Locator menu = alicePhone.page().getByTestId("sidebar-toggle");
    assertThat(menu).isVisible();
    menu.click();
    assertThat(alicePhone.sidebar()).isVisible();
    assertThat(alicePhone.unreadBadge(room)).hasText("3");
    save(alicePhone.page(), "phone-sidebar.png");
    alicePhone.openRoom(dm);
    assertThat(alicePhone.sidebar()).isHidden();
    assertThat(alicePhone.messageTexts()).hasCount(5);
    assertNoHorizontalScroll(alicePhone.page());
    bobStartsTyping(bob, alicePhone);
    save(alicePhone.page(), "phone-conversation.png");

    // Dark theme, from the system preference.
    Consumer<Browser.NewContextOptions> dark =
        o ->
            o.setStorageState(alice.context().storageState())
                .setColorScheme(ColorScheme.DARK)
                .setReducedMotion(ReducedMotion.REDUCE);
    ChatUi aliceDark = person("alice-dark", base, dark).open();
    aliceDark.assertOnline();
    aliceDark.openRoom(dm);
    assertThat(aliceDark.messageTexts()).hasCount(5);
    assertThat(luminance(aliceDark.page())).as("dark background").isLessThan(0.2);
    assertThat(luminance(alice.page())).as("light background").isGreaterThan(0.8);
    bobStartsTyping(bob, aliceDark);
    save(aliceDark.page(), "dark.png");

    // Files and a mention: in the planning room Carol's "@alice" is highlighted, and Alice shares
    // a mockup (a thumbnail) and the plan (a chip).
    alice.openRoom(room);
    assertThat(alice.message("can you own the release notes?"))
        .hasAttribute("data-mentioned", "true");
    alice
        .page()
        .getByTestId("file-input")
        .setInputFiles(
            new FilePayload[] {
              new FilePayload(
                  "header-mockup.png",
                  "image/png",
                  FilesAndMentionsE2eTest.png(960, 540, new java.awt.Color(0x3b82f6))),
              new FilePayload("release-plan.pdf", "application/pdf", FilesAndMentionsE2eTest.pdf())
            });
    Locator attachments = alice.page().getByTestId("attachment");
    assertThat(attachments).hasCount(2);
    assertThat(attachments.nth(0)).hasAttribute("data-status", "done");
    assertThat(attachments.nth(1)).hasAttribute("data-status", "done");
    alice.sendAndConfirm("On it. Here are the header mockup and the plan");
    Locator shared = alice.message("Here are the header mockup and the plan");
    assertThat(shared.getByTestId("image-thumb")).isVisible();
    assertThat(shared.getByTestId("file-chip")).containsText("release-plan.pdf");
    save(alice.page(), "files-and-mentions.png");
  }

  /** Bob types a few characters (without sending) until {@code viewer} shows it. */
  private static void bobStartsTyping(ChatUi bob, ChatUi viewer) {
    bob.composer().fill("");
    bob.composer()
        .pressSequentially(
            "Sounds good, I'll", new Locator.PressSequentiallyOptions().setDelay(20));
    assertThat(viewer.typingIndicator()).hasText("Bob Chen is typing…");
  }

  private static void assertNoHorizontalScroll(Page page) {
    Object overflow =
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue())
        .as("horizontal overflow in px")
        .isLessThanOrEqualTo(0);
  }

  /** Relative luminance (0 black to 1 white) of the page background. */
  private static double luminance(Page page) {
    String rgb = (String) page.evaluate("() => getComputedStyle(document.body).backgroundColor");
    var m = Pattern.compile("rgba?\\((\\d+),\\s*(\\d+),\\s*(\\d+)").matcher(rgb);
    assertThat(m.find()).as("background colour %s", rgb).isTrue();
    double r = Integer.parseInt(m.group(1)) / 255.0;
    double g = Integer.parseInt(m.group(2)) / 255.0;
    double b = Integer.parseInt(m.group(3)) / 255.0;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  private static void save(Page page, String file) {
    if (OUT != null) {
      page.mouse().move(1, 1); // no hover toolbar in the picture
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(OUT.resolve(file))
              .setAnimations(ScreenshotAnimations.DISABLED)
              .setCaret(com.microsoft.playwright.options.ScreenshotCaret.HIDE));
    }
  }

  private static void save(Locator element, String file) {
    if (OUT != null) {
      element.page().mouse().move(1, 1);
      element.screenshot(
          new Locator.ScreenshotOptions()
              .setPath(OUT.resolve(file))
              .setAnimations(ScreenshotAnimations.DISABLED));
    }
  }

  private static Path screenshotDirectory() {
    String dir = property("natter.screenshots", "");
    if (dir.isEmpty()) {
      return null;
    }
    Path path = Paths.get(dir);
    if (!path.isAbsolute()) {
      path = Paths.get(property("natter.repoRoot", ".")).resolve(path);
    }
    try {
      return Files.createDirectories(path.normalize());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
