package dev.natter.cli.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.natter.cli.CliException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.BlobStore;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreTransfer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Export and import of a whole Natter database as one JSON document, through the {@link ChatStore}
 * port and its optional {@link StoreTransfer} capability (so it works for every store that
 * implements it, and says so clearly for one that does not), with the bytes of the files from a
 * {@link BlobStore}. The format ({@code "format": "natter-export", "version": 3}) is documented in
 * docs/operations.md:
 *
 * <pre>
 * {"format":"natter-export","version":3,
 *  "users":[{"id","username","displayName","passwordHash","createdAt","lastSeen"?}],    by id
 *  "blobs":[{"sha256","size","data":base64}],                                      by sha256
 *  "rooms":[{"id","kind","name","visibility","dmKey"?,"createdAt",                        by id
 *            "members":[{"userId","role","lastReadSeq","joinedAt"}],                     by userId
 *            "messages":[{"seq","messageId","senderId","clientMsgId"?,"body","ts",       by seq
 *                         "replyTo"?,"editedAt"?,"deleted","reactions":{emoji:[userId]},
 *                         "files"?:[file]}]}],                                 in their order
 *  "uploads":[file with "roomId"]}                                       files not sent, by id
 * file = {"id","uploaderId","name","type","size","sha256","width"?,"height"?,
 *         "thumbnailSha256"?,"createdAt"}
 * </pre>
 *
 * <p>The blobs come before the rooms, each once however many files share it: the export reads the
 * files of its (snapshot) store first and streams the bytes each refers to (a blob that is gone by
 * then, because its message was deleted after the snapshot, leaves its files out). The import
 * stores each blob, checking its SHA-256 and size, before the files that refer to it.
 *
 * <p>Ids are ordered by Unicode code point, as the stores' export methods order them.
 *
 * <p>Everything the store holds is carried except sessions (everyone signs in again): when each
 * user and room was created, rooms without members or messages, and each message's {@code
 * clientMsgId}, so a client that resends an unacknowledged message after a migration gets the
 * original ack instead of a copy. The output is deterministic, so export, import into an empty
 * store and export again gives the same bytes.
 *
 * <p>Import also reads version 1 (from before {@code createdAt} of users and {@code clientMsgId}
 * were exported): its users get the import time as {@code createdAt} and its messages the {@code
 * clientMsgId} {@code import:<messageId>}; and version 2 (from before files).
 */
public final class DataTransfer {
  public static final String FORMAT = "natter-export";
  public static final int VERSION = 3;

  /** The version before files, still read by import. */
  static final int VERSION_2 = 2;

  /** The first version, still read by import. */
  static final int VERSION_1 = 1;

  private static final int PAGE = 500;

  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(
              com.fasterxml.jackson.databind.DeserializationFeature
                  .ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(com.fasterxml.jackson.core.JsonParser.Feature.AUTO_CLOSE_SOURCE);

  /** A user with the stored password hash ({@code createdAt} is absent in version 1). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"id", "username", "displayName", "passwordHash", "createdAt", "lastSeen"})
  public record UserRecord(
      String id,
      String username,
      String displayName,
      String passwordHash,
      Instant createdAt,
      Instant lastSeen) {}

  /**
   * A membership with its role, read marker and notification level ({@code notify}: absent for
   * {@code all}, and in exports before it existed).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"userId", "role", "lastReadSeq", "joinedAt", "notify"})
  public record MemberRecord(
      String userId,
      String role,
      long lastReadSeq,
      Instant joinedAt,
      @JsonProperty("notify") String notifyLevel) {}

  /**
   * A message with the id its client sent it with (absent if none, and in version 1), its reactions
   * (emoji to user ids, in the order they reacted), its files and the ids of the members it
   * mentions (absent when none).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "seq",
    "messageId",
    "senderId",
    "clientMsgId",
    "body",
    "ts",
    "replyTo",
    "editedAt",
    "deleted",
    "reactions",
    "files",
    "mentions"
  })
  public record MessageRecord(
      long seq,
      String messageId,
      String senderId,
      String clientMsgId,
      String body,
      Instant ts,
      String replyTo,
      Instant editedAt,
      boolean deleted,
      Map<String, List<String>> reactions,
      List<FileRecord> files,
      List<String> mentions) {}

  /**
   * A file: sent with a message (in the message's {@code files}, without {@code roomId}) or not
   * sent yet (in {@code uploads}, with it). Its bytes are the blob {@code sha256} of the export.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "id",
    "roomId",
    "uploaderId",
    "name",
    "type",
    "size",
    "sha256",
    "width",
    "height",
    "thumbnailSha256",
    "createdAt"
  })
  public record FileRecord(
      String id,
      String roomId,
      String uploaderId,
      String name,
      String type,
      long size,
      String sha256,
      Integer width,
      Integer height,
      String thumbnailSha256,
      Instant createdAt) {

    static FileRecord of(StoredFile f, String roomId, boolean withThumbnail) {
      return new FileRecord(
          f.id(),
          roomId,
          f.uploaderId(),
          f.name(),
          f.type(),
          f.size(),
          f.sha256(),
          f.width(),
          f.height(),
          withThumbnail ? f.thumbnailSha256() : null,
          f.createdAt());
    }

    StoredFile toStored(String roomId, String messageId) {
      if (id == null
          || roomId == null
          || uploaderId == null
          || name == null
          || type == null
          || sha256 == null
          || createdAt == null) {
        throw CliException.failure(
            "file " + id + ": lacks id, roomId, uploaderId, name, type, sha256 or createdAt");
      }
      return new StoredFile(
          id,
          roomId,
          uploaderId,
          name,
          type,
          size,
          sha256,
          width,
          height,
          thumbnailSha256,
          createdAt,
          messageId);
    }
  }

  /**
   * Orders ids as the stores' export methods do: by Unicode code point, as UTF-8 bytes compare (not
   * as {@link String#compareTo}, which compares UTF-16 units: U+FF61 sorts before U+1F600 here and
   * after it there).
   */
  static final Comparator<String> BY_CODE_POINT =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
      };

  /**
   * What an export or import moved.
   *
   * @param files the files (sent or not) whose metadata and bytes it moved
   * @param filesLeftOut the files an export left out because their bytes were gone (removed after
   *     the snapshot was taken)
   */
  public record Counts(int users, int rooms, long messages, long files, long filesLeftOut) {
    /** Counts of an export or import without files. */
    public Counts(int users, int rooms, long messages) {
      this(users, rooms, messages, 0, 0);
    }
  }

  /** What an export counts while it runs: files moved and left out. */
  private static final class FileCounts {
    long files;
    long leftOut;

    /** Keys of the blobs the export could not read (gone after the snapshot). */
    final Set<String> missing = new HashSet<>();

    /** Whether a file can be exported: its bytes are in the export. */
    boolean has(StoredFile f) {
      return !missing.contains(f.sha256());
    }
  }

  private DataTransfer() {}

  // =====================================================================================
  // Export

  /**
   * Writes everything in {@code store} (but sessions) to {@code out} as one JSON document; for a
   * store without files.
   *
   * @throws CliException if the store cannot export (it does not implement {@link StoreTransfer}),
   *     or it has files
   */
  public static Counts export(ChatStore store, OutputStream out) throws IOException {
    return export(store, null, out);
  }

  /**
   * Writes everything in {@code store} (but sessions) to {@code out} as one JSON document, with the
   * bytes of its files from {@code blobs}.
   *
   * @param blobs where the files' bytes are; null only for a store without files
   * @throws CliException if the store cannot export (it does not implement {@link StoreTransfer}),
   *     or it has files and there is no blob store
   */
  public static Counts export(ChatStore store, BlobStore blobs, OutputStream out)
      throws IOException {
    StoreTransfer transfer = transferOf(store, "export from");
    int users = 0;
    int rooms = 0;
    long messages = 0;
    FileCounts files = new FileCounts();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("format", FORMAT);
      g.writeNumberField("version", VERSION);
      g.writeArrayFieldStart("users");
      String afterUser = null;
      while (true) {
        List<StoreTransfer.ExportedUser> page = transfer.exportUsers(afterUser, PAGE);
        for (StoreTransfer.ExportedUser u : page) {
          JSON.writeValue(
              g,
              new UserRecord(
                  u.user().id(),
                  u.user().username(),
                  u.user().displayName(),
                  u.passwordHash(),
                  u.createdAt(),
                  u.lastSeen()));
          users++;
          afterUser = u.user().id();
        }
        if (page.size() < PAGE) {
          break;
        }
      }
      g.writeEndArray();
      exportBlobs(store, blobs, g, files);
      g.writeArrayFieldStart("rooms");
      String afterRoom = null;
      while (true) {
        List<Room> page = transfer.exportRooms(afterRoom, PAGE);
        for (Room room : page) {
          messages += exportRoom(store, transfer, g, room, files);
          rooms++;
          afterRoom = room.id();
        }
        if (page.size() < PAGE) {
          break;
        }
      }
      g.writeEndArray();
      exportUploads(store, g, files);
      g.writeEndObject();
      g.writeRaw('\n');
    }
    return new Counts(users, rooms, messages, files.files, files.leftOut);
  }

  /**
   * Writes every blob a file of the store refers to (content or thumbnail), each once, ordered by
   * key; the keys of those already gone go to {@code files.missing}.
   */
  private static void exportBlobs(
      ChatStore store, BlobStore blobs, JsonGenerator g, FileCounts files) throws IOException {
    Set<String> keys = new TreeSet<>(); // lower-case hex: String order is code point order
    String after = null;
    while (true) {
      List<StoredFile> page = store.files(after, PAGE);
      for (StoredFile f : page) {
        keys.add(f.sha256());
        if (f.thumbnailSha256() != null) {
          keys.add(f.thumbnailSha256());
        }
        after = f.id();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    if (!keys.isEmpty() && blobs == null) {
      throw CliException.failure("the store has files, but their blob store was not given");
    }
    g.writeArrayFieldStart("blobs");
    for (String key : keys) {
      InputStream in;
      long size;
      try {
        size = blobs.size(key).orElseThrow(() -> new NoSuchFileException(key));
        in = blobs.open(key, 0); // an open file still reads when the blob is removed meanwhile
      } catch (NoSuchFileException gone) {
        files.missing.add(key);
        continue;
      }
      try (in) {
        g.writeStartObject();
        g.writeStringField("sha256", key);
        g.writeNumberField("size", size);
        g.writeFieldName("data");
        g.writeBinary(in, -1);
        g.writeEndObject();
      }
    }
    g.writeEndArray();
  }

  /** Writes the files not sent yet (with their room), ordered by id. */
  private static void exportUploads(ChatStore store, JsonGenerator g, FileCounts files)
      throws IOException {
    g.writeArrayFieldStart("uploads");
    String after = null;
    while (true) {
      List<StoredFile> page = store.files(after, PAGE);
      for (StoredFile f : page) {
        after = f.id();
        if (f.messageId() != null) {
          continue;
        }
        if (!files.has(f)) {
          files.leftOut++;
          continue;
        }
        JSON.writeValue(g, FileRecord.of(f, f.roomId(), hasThumbnail(f, files)));
        files.files++;
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    g.writeEndArray();
  }

  private static boolean hasThumbnail(StoredFile f, FileCounts files) {
    return f.thumbnailSha256() != null && !files.missing.contains(f.thumbnailSha256());
  }

  /** A message's files as the export holds them, in their order; null when it has none. */
  private static List<FileRecord> filesOf(ChatStore store, Message m, FileCounts files) {
    if (m.files().isEmpty()) {
      return null;
    }
    List<FileRecord> out = new ArrayList<>();
    for (FileInfo info : m.files()) {
      StoredFile f = store.findFile(info.id()).orElse(null);
      if (f == null || !files.has(f)) {
        files.leftOut++;
        continue;
      }
      out.add(FileRecord.of(f, null, hasThumbnail(f, files)));
      files.files++;
    }
    return out.isEmpty() ? null : out;
  }

  /** Writes one room with its members and messages; returns how many messages. */
  private static long exportRoom(
      ChatStore store, StoreTransfer transfer, JsonGenerator g, Room room, FileCounts files)
      throws IOException {
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
    for (Membership m : store.memberships(room.id())) {
      String notify = m.notifyLevel() == NotifyLevel.ALL ? null : m.notifyLevel().wireName();
      members.add(
          new MemberRecord(m.userId(), m.role().wireName(), m.lastReadSeq(), m.joinedAt(), notify));
    }
    members.sort(Comparator.comparing(MemberRecord::userId, BY_CODE_POINT));
    g.writeFieldName("members");
    JSON.writeValue(g, members);
    g.writeArrayFieldStart("messages");
    long count = 0;
    long after = 0;
    while (true) {
      List<StoreTransfer.ExportedMessage> page = transfer.exportMessages(room.id(), after, PAGE);
      for (StoreTransfer.ExportedMessage e : page) {
        Message m = e.message();
        JSON.writeValue(
            g,
            new MessageRecord(
                m.seq(),
                m.messageId(),
                m.sender().id(),
                e.clientMsgId(),
                m.body(),
                m.ts(),
                m.replyTo(),
                m.editedAt(),
                m.deleted(),
                m.reactions(),
                filesOf(store, m, files),
                m.mentions().isEmpty() ? null : m.mentions()));
        count++;
        after = m.seq();
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    g.writeEndArray();
    g.writeEndObject();
    return count;
  }

  // =====================================================================================
  // Import

  /**
   * Reads an export without files (version 1, 2, or 3 without blobs) into {@code store}, as {@link
   * #importInto(ChatStore, ImportedBlobs, InputStream)} does.
   *
   * @throws CliException if the store cannot import, or the export has files
   */
  public static Counts importInto(ChatStore store, InputStream in) throws IOException {
    return importInto(store, null, in);
  }

  /**
   * Reads an export (version 3, 2 or 1) into {@code store}, which must hold no user yet. Creates
   * the users, then each room with its members, stores its messages as they were (in batches, each
   * in one transaction, so each gets its original seq, clientMsgId, edits, deletion and reactions),
   * then sets its read markers. It streams: within a room object the room's fields and {@code
   * members} must come before {@code messages} (as the export writes them), else it is refused. The
   * blobs go to {@code blobs} (checked against their SHA-256 and size) before the files that refer
   * to them are recorded, each file with its message (in its place among the message's files) or,
   * not sent yet, on its own.
   *
   * @param blobs where the files' bytes go; null only for an export without files
   * @throws CliException if the store cannot import (it does not implement {@link StoreTransfer}),
   *     or the export has files and there is no blob store
   */
  static Counts importInto(ChatStore store, ImportedBlobs blobs, InputStream in)
      throws IOException {
    StoreTransfer transfer = transferOf(store, "import into");
    if (!transfer.exportUsers(null, 1).isEmpty()) {
      throw CliException.failure(
          "the database already has users: import only into an empty data directory");
    }
    Instant importedAt = Instant.now();
    Map<String, User> users = new HashMap<>();
    int rooms = 0;
    long messages = 0;
    long[] files = {0};
    int version = 0;
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
            version = p.getIntValue();
            if (version != VERSION && version != VERSION_2 && version != VERSION_1) {
              throw CliException.failure(
                  "unsupported export version "
                      + p.getText()
                      + " (this natter reads versions "
                      + VERSION_1
                      + " to "
                      + VERSION
                      + "; a newer export needs a newer natter)");
            }
            break;
          case "users":
            requireVersion(version, sawFormat, field);
            expect(p.currentToken(), JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              UserRecord r = JSON.readValue(p, UserRecord.class);
              Instant createdAt = r.createdAt();
              if (createdAt == null) {
                if (version != VERSION_1) {
                  throw CliException.failure("user " + r.username() + " has no createdAt");
                }
                createdAt = importedAt;
              }
              User u = new User(r.id(), r.username(), r.displayName());
              store.createUser(u, r.passwordHash(), createdAt);
              if (r.lastSeen() != null) {
                store.updateLastSeen(u.id(), r.lastSeen());
              }
              users.put(u.id(), u);
            }
            break;
          case "rooms":
            requireVersion(version, sawFormat, field);
            expect(p.currentToken(), JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              messages += importRoom(store, transfer, p, users, version, blobs, files);
              rooms++;
            }
            break;
          case "blobs":
            requireVersion(version, sawFormat, field);
            expect(p.currentToken(), JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              importBlob(p, blobs);
            }
            break;
          case "uploads":
            requireVersion(version, sawFormat, field);
            expect(p.currentToken(), JsonToken.START_ARRAY, p);
            while (p.nextToken() == JsonToken.START_OBJECT) {
              FileRecord r = JSON.readValue(p, FileRecord.class);
              createFile(store, blobs, r.toStored(r.roomId(), null));
              files[0]++;
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
    return new Counts(users.size(), rooms, messages, files[0], 0);
  }

  /**
   * Stores one blob of {@code "blobs"}: {@code sha256} and {@code size} come before {@code data}.
   */
  private static void importBlob(JsonParser p, ImportedBlobs blobs) throws IOException {
    String sha256 = null;
    OptionalLong size = OptionalLong.empty();
    boolean stored = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "sha256":
          sha256 = p.getText();
          break;
        case "size":
          size = OptionalLong.of(p.getLongValue());
          break;
        case "data":
          if (blobs == null) {
            throw CliException.failure("the export has files, but no blob store was given");
          }
          blobs.put(sha256, size, p);
          stored = true;
          break;
        default:
          p.skipChildren();
      }
    }
    if (!stored) {
      throw CliException.failure("blob " + sha256 + " has no \"data\"");
    }
  }

  /** Records a file whose blobs (content and thumbnail) the import has stored. */
  private static void createFile(ChatStore store, ImportedBlobs blobs, StoredFile f) {
    if (blobs == null) {
      throw CliException.failure("the export has files, but no blob store was given");
    }
    blobs.require(f.sha256(), f.size(), "file " + f.id());
    if (f.thumbnailSha256() != null) {
      blobs.require(f.thumbnailSha256(), -1, "the thumbnail of file " + f.id());
    }
    store.createFile(f);
  }

  /** The import streams, so it must know the format and version before users and rooms. */
  private static void requireVersion(int version, boolean sawFormat, String field) {
    if (!sawFormat || version == 0) {
      throw CliException.failure(
          "not a Natter export: \"format\" and \"version\" must come before \"" + field + "\"");
    }
  }

  /** The fields of a room object import reads; all must come before (and as) "messages". */
  private static final Set<String> ROOM_FIELDS =
      Set.of("id", "kind", "name", "visibility", "dmKey", "createdAt", "members", "messages");

  private static long importRoom(
      ChatStore store,
      StoreTransfer transfer,
      JsonParser p,
      Map<String, User> users,
      int version,
      ImportedBlobs blobs,
      long[] files)
      throws IOException {
    String id = null;
    String kind = null;
    String name = null;
    String visibility = null;
    String dmKey = null;
    Instant createdAt = null;
    List<MemberRecord> members = List.of();
    boolean created = false;
    long count = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (created && ROOM_FIELDS.contains(field)) {
        // the room and its members were created when its messages began: this would be lost
        throw CliException.failure(
            "room "
                + id
                + ": \""
                + field
                + "\" comes after \"messages\"; a room's fields and \"members\" must come"
                + " before its \"messages\" (as the export writes them)");
      }
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
          List<StoreTransfer.ExportedMessage> batch = new ArrayList<>(PAGE);
          List<StoredFile> batchFiles = new ArrayList<>();
          long expected = 1;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            MessageRecord m = JSON.readValue(p, MessageRecord.class);
            if (m.seq() != expected) {
              throw CliException.failure(
                  "room " + id + ": message seq " + m.seq() + " where " + expected + " was due");
            }
            expected++;
            batch.add(toStored(id, m, users, version));
            if (m.files() != null) {
              for (FileRecord f : m.files()) {
                batchFiles.add(f.toStored(id, m.messageId()));
              }
            }
            if (batch.size() >= PAGE) {
              files[0] += importBatch(store, transfer, blobs, batch, batchFiles);
            }
            count++;
          }
          files[0] += importBatch(store, transfer, blobs, batch, batchFiles);
          break;
        default:
          p.skipChildren();
      }
    }
    if (!created) {
      createRoom(store, id, kind, name, visibility, dmKey, createdAt, members);
    }
    for (MemberRecord member : members) {
      if (member.lastReadSeq() > 0) {
        store.markRead(id, member.userId(), member.lastReadSeq());
      }
      if (member.notifyLevel() != null) {
        String roomId = id;
        NotifyLevel level =
            NotifyLevel.fromWire(member.notifyLevel())
                .orElseThrow(
                    () ->
                        CliException.failure(
                            "room " + roomId + ": unknown notify level " + member.notifyLevel()));
        store.setNotifyLevel(id, member.userId(), level);
      }
    }
    return count;
  }

  /** Stores a batch of messages, then their files (in their order); empties both lists. */
  private static int importBatch(
      ChatStore store,
      StoreTransfer transfer,
      ImportedBlobs blobs,
      List<StoreTransfer.ExportedMessage> batch,
      List<StoredFile> batchFiles) {
    transfer.importMessages(batch);
    batch.clear();
    for (StoredFile f : batchFiles) {
      createFile(store, blobs, f);
    }
    int n = batchFiles.size();
    batchFiles.clear();
    return n;
  }

  /** A message of the export as the store takes it; version 1 had no clientMsgId. */
  private static StoreTransfer.ExportedMessage toStored(
      String roomId, MessageRecord m, Map<String, User> users, int version) {
    if (m.messageId() == null || m.body() == null || m.ts() == null) {
      throw CliException.failure(
          "room " + roomId + ": message " + m.seq() + " lacks messageId, body or ts");
    }
    User sender = users.get(m.senderId());
    if (sender == null) {
      throw CliException.failure("message " + m.messageId() + ": unknown sender");
    }
    Map<String, List<String>> reactions = m.reactions() == null ? Map.of() : m.reactions();
    if (m.deleted()
        && (!m.body().isEmpty()
            || !reactions.isEmpty()
            || (m.files() != null && !m.files().isEmpty()))) {
      throw CliException.failure(
          "message " + m.messageId() + ": deleted, yet it has a body, reactions or files");
    }
    String clientMsgId = version == VERSION_1 ? "import:" + m.messageId() : m.clientMsgId();
    return new StoreTransfer.ExportedMessage(
        new Message(
            roomId,
            m.seq(),
            m.messageId(),
            sender,
            m.body(),
            m.ts(),
            m.replyTo(),
            m.editedAt(),
            m.deleted(),
            reactions,
            null,
            m.mentions()),
        clientMsgId);
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

  /** The store's export and import, or a failure that says this store has none. */
  private static StoreTransfer transferOf(ChatStore store, String what) {
    if (store instanceof StoreTransfer transfer) {
      return transfer;
    }
    throw CliException.failure(
        "cannot "
            + what
            + " this store: "
            + store.getClass().getSimpleName()
            + " does not support export and import (it does not implement StoreTransfer)");
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
