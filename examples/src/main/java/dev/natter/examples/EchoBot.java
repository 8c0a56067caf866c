package dev.natter.examples;

import dev.natter.client.ChatClient;
import dev.natter.core.model.Message;
import dev.natter.core.protocol.ServerEvent;
import java.net.URI;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bot on {@link ChatClient}: in every room it is a member of, it answers each message that
 * mentions {@code @<its username>} with a reply that echoes the rest of the message. The client
 * reconnects and catches up by itself, so the bot carries on across server restarts and answers
 * what was said while it was away, once.
 *
 * <pre>
 * ./mvnw -q -pl examples exec:java -Dexec.mainClass=dev.natter.examples.EchoBot \
 *     -Dexec.args="http://127.0.0.1:8080 echo 'a long bot password'"
 * </pre>
 */
public final class EchoBot implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EchoBot.class);
  private final ChatClient client;
  private final String username;
  private final Pattern mention;

  private EchoBot(URI server, String username, String password) {
    this.username = username;
    this.mention =
        Pattern.compile(
            "(?<![\\w.-])@" + Pattern.quote(username) + "(?![\\w.-])", Pattern.CASE_INSENSITIVE);
    // tag::bot[]
    this.client = ChatClient.builder(server).loginOrRegister(username, password).build();
    client.addListener(this::answer); // runs on the client's event thread, one event at a time
    // end::bot[]
  }

  /** Arguments: the server URI, the bot's username and its password. */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: EchoBot <http://host:port> <username> <password>");
      System.exit(2);
    }
    EchoBot bot = start(URI.create(args[0]), args[1], args[2]);
    Runtime.getRuntime().addShutdownHook(new Thread(bot::close));
    System.out.println("@" + bot.username + " is listening on " + args[0]);
    Thread.currentThread().join();
  }

  /** Signs in (creating the account on first use), connects and waits for the server's ready. */
  public static EchoBot start(URI server, String username, String password) {
    EchoBot bot = new EchoBot(server, username, password);
    try {
      bot.client.connect().join();
      return bot;
    } catch (RuntimeException e) {
      bot.close();
      throw e;
    }
  }

  // tag::bot-answer[]
  private void answer(ChatClient c, ServerEvent event) {
    if (!(event instanceof ServerEvent.MessageEvent e)) {
      return;
    }
    Message m = e.message();
    if (m.deleted()
        || m.sender().username().equalsIgnoreCase(username)
        || !mention.matcher(m.body()).find()) {
      return;
    }
    String rest = mention.matcher(m.body()).replaceAll(" ").replaceAll("\\s+", " ").strip();
    String answer =
        "@" + m.sender().username() + " " + (rest.isEmpty() ? "you called?" : "echo: " + rest);
    // No need to wait: the client keeps the reply until the server has stored it. Only a refusal
    // by the server (say, rate_limited) ends it, and then there is nothing better than a log line.
    c.send(m.room(), answer, m.messageId())
        .exceptionally(
            error -> {
              LOG.warn("no answer to {}: {}", m.messageId(), error.toString());
              return null;
            });
  }

  // end::bot-answer[]

  /** The bot's client (its state, session, outbox). */
  public ChatClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }
}
