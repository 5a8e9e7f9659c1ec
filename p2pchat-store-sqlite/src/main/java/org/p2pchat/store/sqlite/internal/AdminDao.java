package org.p2pchat.store.sqlite.internal;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.p2pchat.api.store.UserAccount;

/**
 * The operator's statements ({@link org.p2pchat.api.store.AdminStore}). Deleted accounts keep
 * their row (the name stays reserved) with {@code deleted_at} set, and are left out of every
 * read. Attach per use; as thread-confined as its handle.
 */
public interface AdminDao {
  /** The columns {@link UserAccountMapper} reads. */
  String ACCOUNT = "SELECT name, created_at, last_login_at, disabled FROM users";

  @SqlQuery(ACCOUNT + " WHERE deleted_at IS NULL AND instr(lower(name), lower(:part)) > 0 ORDER BY name LIMIT :limit")
  @RegisterRowMapper(UserAccountMapper.class)
  List<UserAccount> list(@Bind("part") String nameContains, @Bind("limit") int limit);

  @SqlQuery(ACCOUNT + " WHERE deleted_at IS NULL AND name = :name")
  @RegisterRowMapper(UserAccountMapper.class)
  Optional<UserAccount> find(@Bind("name") String name);

  @SqlUpdate("UPDATE users SET last_login_at = :at WHERE name = :name AND deleted_at IS NULL")
  boolean recordLogin(@Bind("name") String name, @Bind("at") long atMillis);

  @SqlUpdate("UPDATE users SET disabled = :disabled WHERE name = :name AND deleted_at IS NULL")
  boolean setDisabled(@Bind("name") String name, @Bind("disabled") boolean disabled);

  @SqlQuery("SELECT id FROM users WHERE name = :name AND deleted_at IS NULL")
  OptionalLong liveId(@Bind("name") String name);

  @SqlUpdate("DELETE FROM messages WHERE sender_id = :id OR recipient_id = :id")
  int deleteMessagesOf(@Bind("id") long userId);

  @SqlUpdate("DELETE FROM room_messages WHERE sender_id = :id")
  int deleteRoomMessagesOf(@Bind("id") long userId);

  @SqlUpdate("DELETE FROM devices WHERE user_id = :id")
  int deleteDevicesOf(@Bind("id") long userId);

  @SqlUpdate("UPDATE users SET deleted_at = :at, password_hash = '', disabled = 1 WHERE id = :id")
  void markDeleted(@Bind("id") long userId, @Bind("at") long atMillis);

  /** The oldest messages sent before the cutoff, at most {@code limit}: ids ascend with time, so the scan stops early. */
  @SqlUpdate("DELETE FROM messages WHERE id IN"
      + " (SELECT id FROM messages WHERE sent_at < :cutoff ORDER BY id LIMIT :limit)")
  int purgeBefore(@Bind("cutoff") long cutoffMillis, @Bind("limit") int limit);

  /** The oldest room messages sent before the cutoff, at most {@code limit}, as {@link #purgeBefore}. */
  @SqlUpdate("DELETE FROM room_messages WHERE id IN"
      + " (SELECT id FROM room_messages WHERE sent_at < :cutoff ORDER BY id LIMIT :limit)")
  int purgeRoomMessagesBefore(@Bind("cutoff") long cutoffMillis, @Bind("limit") int limit);

  @SqlUpdate("INSERT INTO admin_operations (kind, user_name, device_ids_up_to, at)"
      + " VALUES (:kind, :user, :upTo, :at)")
  void recordOperation(@Bind("kind") int kind, @Bind("user") String user, @Bind("upTo") long deviceIdsUpTo,
      @Bind("at") long atMillis);

  /** Keeps the newest {@code keep} operations: the table stays bounded, whatever an operator scripts. */
  @SqlUpdate("DELETE FROM admin_operations WHERE id <"
      + " (SELECT min(id) FROM (SELECT id FROM admin_operations ORDER BY id DESC LIMIT :keep))")
  void pruneOperations(@Bind("keep") int keep);

  @SqlQuery("SELECT coalesce(max(id), 0) FROM admin_operations")
  long latestOperationId();

  @SqlQuery("SELECT count(*) FROM room_messages")
  long roomMessages();

  @SqlQuery("SELECT count(*) FROM users WHERE deleted_at IS NULL")
  long users();

  @SqlQuery("SELECT count(*) FROM messages")
  long messages();

  @SqlQuery("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
  long bytes();
}
