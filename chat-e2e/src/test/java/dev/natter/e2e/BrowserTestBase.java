package dev.natter.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One headless system Chromium per test class (Playwright, offline: no browser download), and
 * helpers to give every simulated person an isolated {@link BrowserContext} (own cookies, own
 * storage). When a test fails, a screenshot of every open page goes to {@code
 * target/e2e-failures/}.
 */
abstract class BrowserTestBase {
  /** Every auto-waiting assertion and action gives up after this long. */
  static final double TIMEOUT_MS = 10_000;

  /** Where Chromium is: {@code -Dnatter.chromium=...}, default the Debian package's path. */
  static final Path CHROMIUM = Paths.get(property("natter.chromium", "/usr/bin/chromium"));

  static final List<String> CHROMIUM_ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic");

  private static Playwright playwright;
  static Browser browser;

  private final List<ChatUi> people = new ArrayList<>();
  private final List<BrowserContext> contexts = new ArrayList<>();

  @RegisterExtension
  final AfterTestExecutionCallback screenshotOnFailure =
      context -> {
        if (context.getExecutionException().isEmpty()) {
          return;
        }
        Path dir = Paths.get("target", "e2e-failures");
        String test =
            context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName();
        String safe = test.replaceAll("[^A-Za-z0-9._-]+", "_");
        for (ChatUi person : people) {
          if (person.page().isClosed()) {
            continue;
          }
          try {
            Path file = dir.resolve(safe + "-" + person.name() + ".png");
            person.page().screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
            System.err.println("[e2e] failure screenshot: " + file.toAbsolutePath());
          } catch (RuntimeException e) {
            System.err.println("[e2e] no failure screenshot for " + person.name() + ": " + e);
          }
        }
      };

  @BeforeAll
  static void launchBrowser() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          "Chromium not found at "
              + CHROMIUM
              + ": the browser end-to-end tests need the system Chromium. Install it with"
              + " `apt-get install -y chromium` (the CI script .ci/run does), or point"
              + " -Dnatter.chromium=/path/to/chromium at another build.");
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(CHROMIUM_ARGS));
    PlaywrightAssertions.setDefaultAssertionTimeout(TIMEOUT_MS);
  }

  @AfterAll
  static void closeBrowser() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      browser = null;
      if (playwright != null) {
        playwright.close();
        playwright = null;
      }
    }
  }

  @AfterEach
  void closeContexts() {
    for (BrowserContext c : contexts) {
      try {
        c.close();
      } catch (RuntimeException e) {
        System.err.println("[e2e] closing a browser context failed: " + e);
      }
    }
    contexts.clear();
    people.clear();
  }

  /** A person with a fresh, isolated browser context (desktop size, light theme). */
  ChatUi person(String name, String baseUrl) {
    return person(name, baseUrl, options -> {});
  }

  /** A person with a fresh, isolated browser context configured by {@code options}. */
  ChatUi person(String name, String baseUrl, Consumer<Browser.NewContextOptions> options) {
    Browser.NewContextOptions o =
        new Browser.NewContextOptions().setViewportSize(1280, 800).setLocale("en-GB");
    options.accept(o);
    BrowserContext context = browser.newContext(o);
    contexts.add(context);
    context.setDefaultTimeout(TIMEOUT_MS);
    return newPage(name, context, baseUrl);
  }

  /** Another tab of the same person (same context, so the same session cookie). */
  ChatUi anotherTab(ChatUi person, String name) {
    return newPage(name, person.context(), person.baseUrl());
  }

  private ChatUi newPage(String name, BrowserContext context, String baseUrl) {
    Page page = context.newPage();
    page.onPageError(e -> System.err.println("[e2e " + name + "] page error: " + e));
    page.onConsoleMessage(
        m -> {
          if (m.type().equals("error")) {
            System.err.println("[e2e " + name + "] console error: " + m.text());
          }
        });
    ChatUi ui = new ChatUi(name, context, page, baseUrl);
    people.add(ui);
    return ui;
  }

  static String property(String name, String fallback) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
