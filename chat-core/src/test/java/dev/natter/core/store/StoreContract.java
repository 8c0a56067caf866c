package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every store contract: a fresh store per test, and the fixtures the contracts share.
 *
 * <p>The store contract is one abstract class per role of {@link ChatStore} ({@link
 * UserStoreContract}, {@link SessionStoreContract}, {@link RoomStoreContract}, {@link
 * MembershipStoreContract}, {@link MessageStoreContract}, {@link MessageSearchContract}), one for
 * the failures every store reports alike ({@link StoreErrorsContract}) and one for the optional
 * {@link dev.natter.core.spi.StoreTransfer} ({@link StoreTransferContract}). A store adapter runs
 * each of them: one small subclass per contract (JUnit {@code @Nested} classes work well) that
 * implements {@link #newStore()}. The suite is published in chat-core's test-jar.
 *
 * <p>Timestamps are whole milliseconds so stores that keep millisecond precision pass. Usernames
 * are lower case wherever order matters, so the suite does not depend on a collation.
 *
 * @param <S> the store type the contract needs: {@link ChatStore}, or more for a capability
 */
public abstract class StoreContract<S extends ChatStore> {
  protected static final long TIMEOUT_SECONDS = 30;
  protected static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  protected static final String THUMBS = "\uD83D\uDC4D";
  protected static final String HEART = "\u2764\uFE0F";

  /**
   * What a store's failure must never show a client: SQL (a statement, the word, the driver's names
   * for constraints) or a {@code table.column}.
   */
  private static final Pattern SQL_OR_SCHEMA =
      Pattern.compile(
          "(?i)sql|constraint|unique|foreign key|primary key|\\binsert into\\b"
              + "|\\bselect\\b.*\\bfrom\\b|\\bupdate\\b.*\\bset\\b|\\w\\.\\w");

  /** A new, empty store. Called once per test; the suite closes it after the test. */
  protected abstract S newStore();

  protected S store;
  private final AtomicLong ids = new AtomicLong();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- failures

  /**
   * Asserts that {@code call} fails with exactly {@code type} and {@code message} (a failed future
   * counts: pass {@code () -> join(future)}), and that the message names no SQL and no part of a
   * schema.
   */
  protected static void assertFailure(
      ThrowingCallable call, Class<? extends ChatException> type, String message) {
    Throwable thrown = catchThrowable(call);
    if (thrown instanceof CompletionException && thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    assertThat(thrown).isExactlyInstanceOf(type).hasMessage(message);
    assertNamesNoSqlOrSchema(thrown);
  }

  /** Asserts that the message of {@code failure} names no SQL and no part of a schema. */
  protected static void assertNamesNoSqlOrSchema(Throwable failure) {
    assertThat(failure.getMessage())
        .as("the message of %s", failure.getClass().getSimpleName())
        .doesNotContainPattern(SQL_OR_SCHEMA);
  }

  // ---- concurrency and futures

  /** A task run by one of several threads that start together. */
  @FunctionalInterface
  protected interface Task<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code count} tasks on {@code threads} threads released at once; results by index. */
  protected static <T> List<T> concurrently(int count, Task<T> task, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(count);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return task.run(index);
                }));
      }
      ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits for a future; its failure is thrown as a {@link CompletionException}. */
  protected static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("append did not complete", e);
    }
  }

  // ---- time and seqs

  protected static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  protected static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  protected static List<Long> seqsOf(List<Message> messages) {
    return messages.stream().map(Message::seq).toList();
  }

  // ---- users, rooms and messages

  /** Creates a user {@code u-<username>} with a display name. */
  protected User user(String username, String displayName) {
    User user = new User("u-" + username, username, displayName);
    store.createUser(user, "hash-of-" + username, T0);
    return user;
  }

  /** Creates a user {@code u-<username>} whose display name is the capitalised username. */
  protected User user(String username) {
    return user(username, Character.toUpperCase(username.charAt(0)) + username.substring(1));
  }

  protected static Room group(String id, String name, Visibility visibility, Instant createdAt) {
    return new Room(id, RoomKind.GROUP, name, visibility, null, createdAt);
  }

  /** A private group: the first user owns it, the others are members. */
  protected String groupWith(String id, User... members) {
    Map<String, Role> roles = new LinkedHashMap<>();
    Arrays.stream(members).forEach(u -> roles.put(u.id(), Role.MEMBER));
    roles.put(members[0].id(), Role.OWNER);
    store.createRoom(new NewRoom(group(id, id, Visibility.PRIVATE, T0), roles));
    return id;
  }

  /** The DM between two users; {@code a} becomes owner, as the engine does for the initiator. */
  protected static NewRoom dm(String id, User a, User b, Instant createdAt) {
    Room room =
        new Room(id, RoomKind.DM, "", Visibility.PRIVATE, Room.dmKey(a.id(), b.id()), createdAt);
    return new NewRoom(room, Map.of(a.id(), Role.OWNER, b.id(), Role.MEMBER));
  }

  /** A new message with fresh ids {@code m-<n>} and {@code c-<n>}. */
  protected NewMessage newMessage(String room, User sender, String body, Instant ts) {
    long n = ids.incrementAndGet();
    return new NewMessage(room, "m-" + n, sender, "c-" + n, body, null, ts);
  }

  /** Appends and waits; the message must be new. */
  protected Message send(String room, User sender, String body, Instant ts) {
    AppendResult result = join(store.append(newMessage(room, sender, body, ts), m -> {}));
    assertThat(result.duplicate()).isFalse();
    return result.message();
  }
}
