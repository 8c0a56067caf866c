package dev.natter.store.postgres;

import dev.natter.core.model.StoredFile;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Uploaded files (migration V2). */
interface FileDao {
  String COLUMNS =
      "id, room_id, uploader_id, name, type, size, sha256, width, height, thumbnail_sha256,"
          + " created_at, message_id";

  @SqlUpdate(
      "INSERT INTO files (id, room_id, uploader_id, name, type, size, sha256, width, height,"
          + " thumbnail_sha256, created_at, message_id, position) VALUES (:id, :roomId,"
          + " :uploaderId, :name, :type, :size, :sha256, :width, :height, :thumbnailSha256,"
          + " :createdAt, :messageId, CASE WHEN CAST(:messageId AS text) IS NULL THEN NULL ELSE"
          + " (SELECT coalesce(max(position), -1) + 1 FROM files"
          + " WHERE message_id = CAST(:messageId AS text)) END)")
  void insert(
      @Bind("id") String id,
      @Bind("roomId") String roomId,
      @Bind("uploaderId") String uploaderId,
      @Bind("name") String name,
      @Bind("type") String type,
      @Bind("size") long size,
      @Bind("sha256") String sha256,
      @Bind("width") Integer width,
      @Bind("height") Integer height,
      @Bind("thumbnailSha256") String thumbnailSha256,
      @Bind("createdAt") long createdAt,
      @Bind("messageId") String messageId);

  @SqlQuery("SELECT " + COLUMNS + " FROM files WHERE id = :id")
  Optional<StoredFile> find(@Bind("id") String id);

  @SqlQuery("SELECT " + COLUMNS + " FROM files WHERE id > :after ORDER BY id LIMIT :limit")
  List<StoredFile> page(@Bind("after") String afterId, @Bind("limit") int limit);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM files WHERE message_id IS NULL AND created_at < :before"
          + " ORDER BY created_at, id LIMIT :limit")
  List<StoredFile> unsentBefore(@Bind("before") long before, @Bind("limit") int limit);

  @SqlUpdate("DELETE FROM files WHERE id = :id AND message_id IS NULL")
  int deleteUnsent(@Bind("id") String id);

  @SqlQuery(
      "SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = :sha)"
          + " OR EXISTS (SELECT 1 FROM files WHERE thumbnail_sha256 = :sha)")
  boolean blobInUse(@Bind("sha") String sha256);

  /** Attaches a pending upload of the sender to this room; 0 when it is not one. */
  @SqlUpdate(
      "UPDATE files SET message_id = :messageId, position = :position"
          + " WHERE id = :id AND room_id = :roomId AND uploader_id = :senderId"
          + " AND message_id IS NULL")
  int attach(
      @Bind("id") String id,
      @Bind("roomId") String roomId,
      @Bind("senderId") String senderId,
      @Bind("messageId") String messageId,
      @Bind("position") int position);

  @SqlUpdate("DELETE FROM files WHERE message_id = :messageId")
  void deleteOfMessage(@Bind("messageId") String messageId);
}
