package dev.natter.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One person's browser tab on the Natter UI, driven through the data-testids and accessible names
 * the UI documents. Every method waits (Playwright auto-waiting) instead of sleeping.
 */
final class ChatUi {
  static final String PASSWORD = "correct horse battery staple";

  private final String name;
  private final BrowserContext context;
  private final Page page;
  private final String baseUrl;

  ChatUi(String name, BrowserContext context, Page page, String baseUrl) {
    this.name = name;
    this.context = context;
    this.page = page;
    this.baseUrl = baseUrl;
  }

  String name() {
    return name;
  }

  BrowserContext context() {
    return context;
  }

  Page page() {
    return page;
  }

  String baseUrl() {
    return baseUrl;
  }

  // ---- navigation and sign-in ---------------------------------------------------------------

  /** Loads the app; the caller then sees the sign-in form or (with a session cookie) the chat. */
  ChatUi open() {
    page.navigate(baseUrl + "/");
    return this;
  }

  /** Creates an account through the sign-up form and waits until the chat is online. */
  ChatUi register(String username, String displayName) {
    assertThat(page.getByTestId("auth-form")).isVisible();
    page.getByTestId("auth-switch").click();
    assertThat(page.getByTestId("auth-display-name")).isVisible();
    page.getByTestId("auth-username").fill(username);
    page.getByTestId("auth-display-name").fill(displayName);
    page.getByTestId("auth-password").fill(PASSWORD);
    page.getByTestId("auth-submit").click();
    assertOnline();
    assertThat(page.getByTestId("me-name")).hasText(displayName);
    return this;
  }

  /** Creates an account over HTTP in this browser context (it keeps the cookie), then opens. */
  ChatUi registerByApi(String username, String displayName) {
    APIResponse r =
        context
            .request()
            .post(
                baseUrl + "/api/register",
                RequestOptions.create()
                    .setData(
                        Map.of(
                            "username",
                            username,
                            "password",
                            PASSWORD,
                            "displayName",
                            displayName)));
    if (r.status() != 201) {
      throw new AssertionError("register " + username + ": " + r.status() + " " + r.text());
    }
    open();
    assertOnline();
    return this;
  }

  // ---- connection -----------------------------------------------------------------------------

  Locator connection() {
    return page.getByTestId("connection-state");
  }

  void assertOnline() {
    assertThat(connection()).hasAttribute("data-state", "online");
  }

  // ---- sidebar --------------------------------------------------------------------------------

  Locator sidebar() {
    return page.getByTestId("sidebar");
  }

  Locator roomItems() {
    return page.getByTestId("room-item");
  }

  Locator roomItem(String roomId) {
    return page.locator("[data-testid='room-item'][data-room-id='" + roomId + "']");
  }

  Locator unreadBadge(String roomId) {
    return roomItem(roomId).getByTestId("unread-badge");
  }

  /** Opens a DM with {@code username} through the "New message" dialog; returns the room id. */
  String startDm(String username) {
    page.getByTestId("new-dm").click();
    Locator dialog = page.getByTestId("new-dm-dialog");
    assertThat(dialog).isVisible();
    dialog.getByTestId("user-search").fill(username);
    Locator result =
        dialog
            .getByTestId("user-result")
            .filter(new Locator.FilterOptions().setHasText("@" + username));
    result.click();
    assertThat(dialog).isHidden();
    assertThat(conversation()).isVisible();
    String roomId = conversation().getAttribute("data-room-id");
    assertThat(roomItem(roomId)).isVisible();
    return roomId;
  }

  /** Clicks the room in the sidebar and waits until its conversation is shown and loaded. */
  void openRoom(String roomId) {
    roomItem(roomId).click();
    assertThat(conversation()).hasAttribute("data-room-id", roomId);
    assertThat(messageList()).hasAttribute("aria-busy", "false");
  }

  // ---- conversation ---------------------------------------------------------------------------

  Locator conversation() {
    return page.getByTestId("conversation");
  }

  Locator messageList() {
    return page.getByTestId("message-list");
  }

  Locator messages() {
    return messageList().getByTestId("message");
  }

  /** The rendered text of every message, in the order shown. */
  Locator messageTexts() {
    return messageList().locator("[data-testid='message'] .message-text");
  }

  /** The message whose text contains {@code text}. */
  Locator message(String text) {
    return messages()
        .filter(
            new Locator.FilterOptions()
                .setHas(page.locator(".message-text", new Page.LocatorOptions().setHasText(text))));
  }

  /** The message whose text is exactly {@code text}. */
  Locator messageExactly(String text) {
    return messages()
        .filter(
            new Locator.FilterOptions()
                .setHas(
                    page.locator(
                        ".message-text",
                        new Page.LocatorOptions()
                            .setHasText(Pattern.compile("^" + jsRegexQuote(text) + "$")))));
  }

  Locator composer() {
    return page.getByTestId("composer");
  }

  Locator typingIndicator() {
    return page.getByTestId("typing-indicator");
  }

  /** Peer presence in the open DM's header. */
  Locator headerPresence() {
    return page.getByTestId("conversation-title").getByTestId("presence-dot");
  }

  /** Types and sends a message with Enter. */
  void send(String text) {
    composer().fill(text);
    composer().press("Enter");
    assertThat(composer()).hasValue("");
  }

  /** Sends and waits for the server's ack (the message is no longer pending). */
  void sendAndConfirm(String text) {
    send(text);
    assertThat(messageExactly(text).last()).hasAttribute("data-status", "sent");
  }

  /** The same message, found by its server id: stays valid while its text changes (editing). */
  Locator stable(Locator message) {
    String id = message.getAttribute("data-message-id");
    if (id == null) {
      throw new AssertionError("the message has no id yet (not acknowledged)");
    }
    return messageList().locator("[data-testid='message'][data-message-id='" + id + "']");
  }

  /** Adds {@code emoji} to a message through its action toolbar. */
  void react(Locator target, String emoji) {
    Locator message = stable(target);
    message.hover();
    message.getByTestId("react-button").click();
    message
        .getByLabel("React with " + emoji, new Locator.GetByLabelOptions().setExact(true))
        .click();
  }

  /** Edits one of my messages through its action toolbar. */
  void edit(Locator target, String newText) {
    Locator message = stable(target);
    message.hover();
    message.getByTestId("edit-button").click();
    Locator input = message.getByTestId("edit-input");
    input.fill(newText);
    input.press("Enter");
    assertThat(input).isHidden();
  }

  /** The reaction chip for {@code emoji} on a message (its accessible name starts with it). */
  Locator reaction(Locator message, String emoji) {
    return message.locator("[data-testid='reaction'][aria-label^='" + emoji + " ']");
  }

  // ---- HTTP with this browser's cookie --------------------------------------------------------

  /** Creates a private group with these members through the API; returns its id once listed. */
  String createRoom(String name, List<String> members) {
    APIResponse r =
        post("/api/rooms", Map.of("name", name, "visibility", "private", "members", members));
    if (r.status() != 201) {
      throw new AssertionError("creating " + name + ": " + r.status() + " " + r.text());
    }
    Locator item =
        roomItems()
            .filter(
                new Locator.FilterOptions()
                    .setHas(
                        page.getByTestId("room-name")
                            .filter(
                                new Locator.FilterOptions()
                                    .setHasText(
                                        Pattern.compile("^" + ChatUi.jsRegexQuote(name) + "$")))));
    assertThat(item).hasCount(1);
    return item.getAttribute("data-room-id");
  }

  APIResponse get(String path) {
    return context.request().get(baseUrl + path);
  }

  APIResponse post(String path, Object json) {
    return context.request().post(baseUrl + path, RequestOptions.create().setData(json));
  }

  /** Escapes regex metacharacters the JavaScript way (Playwright runs the pattern in the page). */
  static String jsRegexQuote(String text) {
    return text.replaceAll("[.*+?^${}()|\\[\\]\\\\/-]", "\\\\$0");
  }

  @Override
  public String toString() {
    return name;
  }
}
