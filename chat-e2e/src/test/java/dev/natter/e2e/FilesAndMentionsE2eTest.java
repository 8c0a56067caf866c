package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and mentions between two browsers through the real server: a screenshot dropped and one
 * pasted reach the other side as thumbnails that open full size, a PDF attached with the button
 * downloads byte for byte, an {@code @} mention picked from the autocomplete highlights the message
 * and badges the room, and a room set to "Nothing" stays quiet.
 */
class FilesAndMentionsE2eTest extends BrowserTestBase {
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
  void screenshotsAndAPdfTravelBetweenBrowsers() throws IOException {
    String base = natter.origin();
    ChatUi alice = person("alice", base).open().register("alice", "Alice Martin");
    ChatUi bob = person("bob", base).open().register("bob", "Bob Chen");
    String room = alice.createRoom("design", List.of("bob"));
    alice.openRoom(room);
    assertThat(bob.roomItem(room)).isVisible();
    bob.openRoom(room);

    // A screenshot dropped on the conversation, another pasted into the composer.
    dropFile(alice, "mockup.png", "image/png", png(640, 400, Color.ORANGE));
    pasteFile(alice, "pasted.png", "image/png", png(300, 200, Color.BLUE));
    Locator attachments = alice.page().getByTestId("attachment");
    assertThat(attachments).hasCount(2);
    assertThat(attachments.nth(0)).hasAttribute("data-status", "done");
    assertThat(attachments.nth(1)).hasAttribute("data-status", "done");
    alice.sendAndConfirm("Two takes on the header");

    // Bob sees both as thumbnails; the first opens full size and Escape closes it.
    Locator bobsMessage = bob.message("Two takes on the header");
    Locator thumbs = bobsMessage.getByTestId("image-thumb");
    assertThat(thumbs).hasCount(2);
    assertThat(thumbs.first()).hasAccessibleName(java.util.regex.Pattern.compile("mockup\\.png"));
    thumbs.first().focus();
    thumbs.first().press("Enter");
    Locator lightbox = bob.page().getByTestId("lightbox");
    assertThat(lightbox).isVisible();
    Locator image = bob.page().getByTestId("lightbox-image");
    assertThat(image).isVisible();
    bob.page().waitForCondition(() -> naturalWidth(image) == 640);
    bob.page().keyboard().press("Escape");
    assertThat(lightbox).isHidden();
    assertThat(thumbs.first()).isFocused();

    // A PDF through the attach button arrives as a chip and downloads byte for byte.
    byte[] pdf = pdf();
    alice
        .page()
        .getByTestId("file-input")
        .setInputFiles(new FilePayload("release-plan.pdf", "application/pdf", pdf));
    assertThat(alice.page().getByTestId("attachment")).hasAttribute("data-status", "done");
    alice.sendAndConfirm("The release plan");
    Locator chip = bob.message("The release plan").getByTestId("file-chip");
    assertThat(chip).containsText("release-plan.pdf");
    Download download = bob.page().waitForDownload(chip::click);
    assertThat(download.suggestedFilename()).isEqualTo("release-plan.pdf");
    assertThat(Files.readAllBytes(download.path())).isEqualTo(pdf);

    // Both are still there after a reload (history carries the files).
    bob.page().reload();
    bob.openRoom(room);
    assertThat(bob.message("Two takes on the header").getByTestId("image-thumb")).hasCount(2);
    assertThat(bob.message("The release plan").getByTestId("file-chip")).isVisible();
  }

  @Test
  void aMentionHighlightsAndBadgesAndNothingSilencesTheRoom() {
    String base = natter.origin();
    ChatUi carol = person("carol", base).open().register("carol", "Carol Diaz");
    ChatUi dave = person("dave", base).open().register("dave", "Dave Kim");
    String room = carol.createRoom("launch", List.of("dave"));
    String other = dave.createRoom("dave-notes", List.of());
    carol.openRoom(room);
    dave.openRoom(other);

    // Carol picks Dave from the autocomplete.
    carol.composer().fill("");
    carol.composer().pressSequentially("@da");
    Locator suggestions = carol.page().getByTestId("mention-suggestions");
    assertThat(suggestions).isVisible();
    assertThat(
            suggestions
                .getByTestId("mention-option")
                .and(carol.page().locator("[data-username='dave']")))
        .isVisible();
    carol.composer().press("Enter");
    assertThat(suggestions).isHidden();
    assertThat(carol.composer()).hasValue("@dave ");
    carol.composer().pressSequentially("can you check the checklist?");
    carol.composer().press("Enter");
    assertThat(carol.messageExactly("@dave can you check the checklist?").last())
        .hasAttribute("data-status", "sent");

    // Dave's sidebar shows the mention apart from the unread count; the message is highlighted.
    assertThat(dave.roomItem(room).getByTestId("mention-badge")).hasText("@1");
    assertThat(dave.unreadBadge(room)).hasText("1");
    carol.sendAndConfirm("no mention here");
    assertThat(dave.unreadBadge(room)).hasText("2");
    assertThat(dave.roomItem(room).getByTestId("mention-badge")).hasText("@1");
    dave.openRoom(room);
    assertThat(dave.message("can you check the checklist?")).hasAttribute("data-mentioned", "true");
    assertThat(dave.messageExactly("no mention here")).not().hasAttribute("data-mentioned", "true");
    assertThat(dave.roomItem(room).getByTestId("mention-badge")).isHidden();

    // Dave silences the room: new messages, even mentions, leave the title alone.
    dave.page().getByTestId("notify-button").click();
    dave.page()
        .getByRole(
            com.microsoft.playwright.options.AriaRole.MENUITEMRADIO,
            new Page.GetByRoleOptions().setName("Nothing"))
        .click();
    assertThat(dave.roomItem(room)).hasAttribute("data-notify", "none");
    dave.openRoom(other);
    carol.sendAndConfirm("@dave still there?");
    assertThat(dave.unreadBadge(room)).hasAttribute("data-muted", "true");
    assertThat(dave.page()).hasTitle("Natter");

    // The level is his, on every device: a second tab opens with the room silenced.
    ChatUi daveTab2 = anotherTab(dave, "dave-tab2").open();
    assertThat(daveTab2.roomItem(room)).hasAttribute("data-notify", "none");
  }

  // ---- files --------------------------------------------------------------------------------

  /** Drops a file on the conversation as a drag from the desktop would. */
  private static void dropFile(ChatUi person, String name, String type, byte[] bytes) {
    JSHandle transfer = dataTransfer(person.page(), name, type, bytes);
    Locator target = person.conversation();
    target.dispatchEvent("dragenter", Map.of("dataTransfer", transfer));
    target.dispatchEvent("dragover", Map.of("dataTransfer", transfer));
    target.dispatchEvent("drop", Map.of("dataTransfer", transfer));
  }

  /** Pastes a file into the composer as a screenshot from the clipboard would. */
  private static void pasteFile(ChatUi person, String name, String type, byte[] bytes) {
    JSHandle transfer = dataTransfer(person.page(), name, type, bytes);
    person
        .composer()
        .evaluate(
            "(el, dt) => el.dispatchEvent(new ClipboardEvent('paste',"
                + " {clipboardData: dt, bubbles: true, cancelable: true}))",
            transfer);
  }

  private static JSHandle dataTransfer(Page page, String name, String type, byte[] bytes) {
    return page.evaluateHandle(
        "([name, type, b64]) => { const dt = new DataTransfer();"
            + " const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));"
            + " dt.items.add(new File([bytes], name, {type})); return dt; }",
        List.of(name, type, Base64.getEncoder().encodeToString(bytes)));
  }

  private static int naturalWidth(Locator image) {
    return ((Number) image.evaluate("img => img.complete ? img.naturalWidth : 0")).intValue();
  }

  static byte[] png(int width, int height, Color color) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillRect(width / 4, height / 4, width / 2, height / 8);
    g.dispose();
    var out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A small, valid one-page PDF. */
  static byte[] pdf() {
    String text =
        "%PDF-1.4\n"
            + "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            + "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            + "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
            + "trailer << /Root 1 0 R >>\n"
            + "%%EOF\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
