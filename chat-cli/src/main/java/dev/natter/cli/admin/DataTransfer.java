package dev.natter.cli.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.natter.cli.CliException;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Export and import of a whole Natter database as one JSON document, through the {@link ChatStore}
 * port (so it works for every store). The format ({@code "format": "natter-export", "version": 1})
 * is documented in docs/operations.md:
 *
 * <pre>
 * {"format":"natter-export","version":1,
 *  "users":[{"id","username","displayName","passwordHash","lastSeen"?}],        by username
 *  "rooms":[{"id","kind","name","visibility","dmKey"?,"createdAt",                by id
 *            "members":[{"userId","role","lastReadSeq","joinedAt"}],             by userId
 *            "messages":[{"seq","messageId","senderId","body","ts","replyTo"?,  by seq
 *                         "editedAt"?,"deleted","reactions":{emoji:[userId]}}]}]}
 * </pre>
 *
 * <p>The output is deterministic, so export, import into an empty store and export again gives the
 * same bytes. Sessions are not exported (everyone signs in again). Not carried, because the store
 * port does not expose them: when a user was created, and each message's {@code clientMsgId}
 * (imported messages get {@code import:<messageId>}); rooms without members are left out.
 */
public final class DataTransfer {
  public static final String FORMAT = "natter-export";
  public static final int VERSION = 1;
  private static final int PAGE = 500;
  private static final int IN_FLIGHT = 256;

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(
              com.fasterxml.jackson.databind.DeserializationFeature
                  .ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(com.fasterxml.jackson.core.JsonParser.Feature.AUTO_CLOSE_SOURCE);

  /** A user with the stored password hash. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"id", "username", "displayName", "passwordHash", "lastSeen"})
  public record UserRecord(
      String id, String username, String displayName, String passwordHash, Instant lastSeen) {}

  /** A membership with its role and read marker. */
  @JsonPropertyOrder({"userId", "role", "lastReadSeq", "joinedAt"})
  public record MemberRecord(String userId, String role, long lastReadSeq, Instant joinedAt) {}

  /** A message with its reactions (emoji to user ids, in the order they reacted). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "seq",
    "messageId",
    "senderId",
    "body",
    "ts",
    "replyTo",
    "editedAt",
    "deleted",
    "reactions"
  })
  public record MessageRecord(
      long seq,
      String messageId,
      String senderId,
      String body,
      Instant ts,
      String replyTo,
      Instant editedAt,
      boolean deleted,
      Map<String, List<String>> reactions) {}

  /** What an export or import moved. */
  public record Counts(int users, int rooms, long messages) {}

  private DataTransfer() {}

  // =====================================================================================
  // Export

  /** Writes everything in {@code store} to {@code out} as one JSON document. */
  public static Counts export(ChatStore store, OutputStream out) throws IOException {
    List<User> users = store.searchUsers("", Integer.MAX_VALUE);
    TreeSet<String> roomIds = new TreeSet<>();
    long messages = 0;
    try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeNumberField("version", VERSION);
      g.writeArrayFieldStart("users");
      for (User u : users) {
        Credentials c =
            store
                .findCredentials(u.username())
                .orElseThrow(() -> new IllegalStateException("user vanished: " + u.username()));
        JSON.writeValue(
            g,
            new UserRecord(
                u.id(),
                u.username(),
                u.displayName(),
                c.passwordHash(),
                store.lastSeen(u.id()).orElse(null)));
        roomIds.addAll(store.roomIdsOf(u.id()));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("rooms");
      for (String roomId : roomIds) {
        Room room = store.findRoom(roomId).orElse(null);
        if (room == null) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("id", room.id());
        g.writeStringField("kind", room.kind().wireName());
        g.writeStringField("name", room.name());
        g.writeStringField("visibility", room.visibility().wireName());
        if (room.dmKey() != null) {
          g.writeStringField("dmKey", room.dmKey());
        }
        g.writeFieldName("createdAt");
        JSON.writeValue(g, room.createdAt());
        List<MemberRecord> members = new ArrayList<>();
        for (User u : store.members(roomId)) {
          store
              .findMembership(roomId, u.id())
              .ifPresent(
                  m ->
                      members.add(
                          new MemberRecord(
                              m.userId(), m.role().wireName(), m.lastReadSeq(), m.joinedAt())));
        }
        members.sort((a, b) -> a.userId().compareTo(b.userId()));
        g.writeFieldName("members");
        JSON.writeValue(g, members);
        g.writeArrayFieldStart("messages");
        long after = 0;
        while (true) {
          List<Message> page = store.messagesAfter(roomId, after, PAGE);
          for (Message m : page) {
            JSON.writeValue(
                g,
                new MessageRecord(
                    m.seq(),
                    m.messageId(),
                    m.sender().id(),
                    m.body(),
                    m.ts(),
                    m.replyTo(),
                    m.editedAt(),
                    m.deleted(),
                    m.reactions()));
            messages++;
            after = m.seq();
          }
          if (page.size() < PAGE) {
            break;
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
    }
    return new Counts(users.size(), roomIds.size(), messages);
  }

  // =====================================================================================
  // Import

  /**
   * Reads an export into {@code store}, which must hold no user yet. Messages are appended in seq
   * order (so they get their original seq), then edits, deletions, reactions and read markers are
   * applied.
   */
  public static Counts importInto(ChatStore store, InputStream in) throws IOException {
    if (!store.searchUsers("", 1).isEmpty()) {
      throw CliException.failure(
          "the database already has users: import only into an empty data directory");
    }
    Map<String, User> users = new HashMap<>();
    int rooms = 0;
    long messages = 0;
    try (JsonParser p = JSON.getFactory().createParser(in)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, p);
      boolean sawFormat = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "format":
            if (!FORMAT.equals(p.getText())) {
              throw CliException.failure("not a Natter export (format " + p.getText() + ")");
            }
            sawFormat = true;
            break;
          case "version":
            if (p.getIntValue() != VERSION) {
              throw CliException.failure(
                  "unsupported export version " + p.getIntValue() + " (this natter reads 1)");
            }
            break;
          case "users":
            expect(p.currentToken(), JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              UserRecord r = JSON.readValue(p, UserRecord.class);
              User u = new User(r.id(), r.username(), r.displayName());
              store.createUser(u, r.passwordHash(), Instant.now());
              if (r.lastSeen() != null) {
                store.updateLastSeen(u.id(), r.lastSeen());
              }
              users.put(u.id(), u);
            }
            break;
          case "rooms":
            expect(p.currentToken(), JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              messages += importRoom(store, p, users);
              rooms++;
            }
            break;
          default:
            p.skipChildren();
        }
      }
      if (!sawFormat) {
        throw CliException.failure("not a Natter export: no \"format\": \"" + FORMAT + "\"");
      }
    }
    return new Counts(users.size(), rooms, messages);
  }

  private static long importRoom(ChatStore store, JsonParser p, Map<String, User> users)
      throws IOException {
    String id = null;
    String kind = null;
    String name = null;
    String visibility = null;
    String dmKey = null;
    Instant createdAt = null;
    List<MemberRecord> members = List.of();
    List<MessageRecord> changes = new ArrayList<>();
    boolean created = false;
    long count = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id":
          id = p.getText();
          break;
        case "kind":
          kind = p.getText();
          break;
        case "name":
          name = p.getText();
          break;
        case "visibility":
          visibility = p.getText();
          break;
        case "dmKey":
          dmKey = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
          break;
        case "createdAt":
          createdAt = JSON.readValue(p, Instant.class);
          break;
        case "members":
          members = List.of(JSON.readValue(p, MemberRecord[].class));
          break;
        case "messages":
          expect(p.currentToken(), JsonToken.START_ARRAY, p);
          createRoom(store, id, kind, name, visibility, dmKey, createdAt, members);
          created = true;
          List<CompletableFuture<?>> inFlight = new ArrayList<>();
          long expected = 1;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            MessageRecord m = JSON.readValue(p, MessageRecord.class);
            if (m.seq() != expected) {
              throw CliException.failure(
                  "room " + id + ": message seq " + m.seq() + " where " + expected + " was due");
            }
            expected++;
            User sender = users.get(m.senderId());
            if (sender == null) {
              throw CliException.failure("message " + m.messageId() + ": unknown sender");
            }
            inFlight.add(
                store.append(
                    new NewMessage(
                        id,
                        m.messageId(),
                        sender,
                        "import:" + m.messageId(),
                        m.deleted() ? "" : m.body(),
                        m.replyTo(),
                        m.ts()),
                    stored -> {}));
            if (m.deleted()
                || m.editedAt() != null
                || (m.reactions() != null && !m.reactions().isEmpty())) {
              changes.add(m);
            }
            if (inFlight.size() >= IN_FLIGHT) {
              CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0])).join();
              inFlight.clear();
            }
            count++;
          }
          CompletableFuture.allOf(inFlight.toArray(new CompletableFuture<?>[0])).join();
          break;
        default:
          p.skipChildren();
      }
    }
    if (!created) {
      createRoom(store, id, kind, name, visibility, dmKey, createdAt, members);
    }
    for (MessageRecord m : changes) {
      if (m.deleted()) {
        store.deleteMessage(id, m.messageId());
        continue;
      }
      if (m.editedAt() != null) {
        store.editMessage(id, m.messageId(), m.body(), m.editedAt());
      }
      Map<String, List<String>> reactions = m.reactions() == null ? Map.of() : m.reactions();
      for (Map.Entry<String, List<String>> r : reactions.entrySet()) {
        for (String userId : r.getValue()) {
          store.react(id, m.messageId(), userId, r.getKey(), true);
        }
      }
    }
    for (MemberRecord member : members) {
      if (member.lastReadSeq() > 0) {
        store.markRead(id, member.userId(), member.lastReadSeq());
      }
    }
    return count;
  }

  private static void createRoom(
      ChatStore store,
      String id,
      String kind,
      String name,
      String visibility,
      String dmKey,
      Instant createdAt,
      List<MemberRecord> members) {
    if (id == null || kind == null || name == null || visibility == null || createdAt == null) {
      throw CliException.failure("a room lacks id, kind, name, visibility or createdAt");
    }
    Room room =
        new Room(
            id,
            RoomKind.valueOf(kind.toUpperCase(Locale.ROOT)),
            name,
            Visibility.fromWire(visibility),
            dmKey,
            createdAt);
    store.createRoom(new NewRoom(room, Map.of()));
    for (MemberRecord m : members) {
      store.addMember(
          id, m.userId(), Role.valueOf(m.role().toUpperCase(Locale.ROOT)), m.joinedAt());
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, JsonParser p) {
    if (actual != expected) {
      throw CliException.failure(
          "not a Natter export: expected "
              + expected
              + " but found "
              + actual
              + " at line "
              + p.currentLocation().getLineNr());
    }
  }
}
