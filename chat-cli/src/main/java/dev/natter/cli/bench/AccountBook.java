package dev.natter.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.natter.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench users and rooms of a run, optionally kept in a file ({@code --accounts}) so that the
 * next run against the same server reuses them instead of registering again (each registration
 * costs the server a password hash: about half a second of a core at the default cost).
 *
 * <p>Usernames are {@code <prefix>-<suffix>-<n>}: the prefix says they are bench users, the random
 * suffix keeps runs from clashing. Without a file every run gets a new suffix. The file holds
 * session tokens: it is written with permissions 0600.
 */
final class AccountBook {
  /** A bench user and its session token. */
  record Account(String username, String token) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private final Path file;
  private final String prefix;
  private String suffix;
  private int issued; // usernames handed out, registered or not
  private final List<Account> users = new ArrayList<>();
  private final Map<String, String> rooms = new LinkedHashMap<>();

  private AccountBook(Path file, String prefix, String suffix) {
    this.file = file;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /** The book in {@code file} when it exists and has the same prefix; else a new one. */
  static AccountBook open(Path file, String prefix) {
    AccountBook book = new AccountBook(file, prefix, randomSuffix());
    if (file == null || !Files.exists(file)) {
      return book;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (!prefix.equals(n.path("prefix").asText())) {
        return book;
      }
      book.suffix = n.path("suffix").asText(book.suffix);
      book.issued = n.path("issued").asInt(0);
      for (JsonNode u : n.path("users")) {
        book.users.add(new Account(u.path("username").asText(), u.path("token").asText()));
      }
      n.path("rooms")
          .fields()
          .forEachRemaining(e -> book.rooms.put(e.getKey(), e.getValue().asText()));
      return book;
    } catch (IOException e) {
      throw CliException.failure("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String randomSuffix() {
    SecureRandom r = new SecureRandom();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      s.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  /** {@code count} usernames never handed out before. */
  synchronized List<String> newUsernames(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add(prefix + "-" + suffix + "-" + issued++);
    }
    return names;
  }

  /** The users known so far, in order. */
  synchronized List<Account> users() {
    return List.copyOf(users);
  }

  synchronized void addUser(Account account) {
    users.add(account);
  }

  /** Forgets every user and room (their sessions are gone) and picks a new suffix. */
  synchronized void reset() {
    users.clear();
    rooms.clear();
    suffix = randomSuffix();
    issued = 0;
  }

  synchronized String room(String key) {
    return rooms.get(key);
  }

  synchronized void room(String key, String id) {
    rooms.put(key, id);
  }

  /** Writes the book to its file (0600, atomically); does nothing without a file. */
  synchronized void save() {
    if (file == null) {
      return;
    }
    ObjectNode n =
        JSON.createObjectNode().put("prefix", prefix).put("suffix", suffix).put("issued", issued);
    ArrayNode list = n.putArray("users");
    for (Account a : users) {
      list.addObject().put("username", a.username()).put("token", a.token());
    }
    ObjectNode r = n.putObject("rooms");
    rooms.forEach(r::put);
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".bench-accounts", ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw CliException.failure("cannot write " + file + ": " + e.getMessage());
    }
  }
}
