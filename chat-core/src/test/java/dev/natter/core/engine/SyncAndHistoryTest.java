package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.Limits;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncAndHistoryTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult dave;
  private String general; // alice and bob
  private String secret; // alice and dave
  private Client a;

  private void start(Limits limits, int messagesInGeneral) {
    fx = Fixture.builder().limits(limits).start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    dave = fx.register("dave");
    general = fx.group(alice, "general", bob).room().id();
    secret = fx.group(alice, "secret", dave).room().id();
    a = fx.connect(alice);
    for (int i = 1; i <= messagesInGeneral; i++) {
      a.send(general, "m" + i);
    }
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  /** Bob's new connection: only ready so far. */
  private Client bobConnects() {
    Client b = fx.connect(bob);
    assertThat(b.conn.events()).hasSize(1);
    return b;
  }

  private static List<Long> seqs(List<Message> messages) {
    return messages.stream().map(Message::seq).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /** Sends a sync and returns the events it produced (everything after what was there). */
  private static List<ServerEvent> sync(Client c, String id, Map<String, Long> rooms) {
    int before = c.conn.events().size();
    c.handle(new ClientCommand.Sync(id, rooms));
    List<ServerEvent> all = c.conn.events();
    return all.subList(before, all.size());
  }

  @Test
  void syncReplaysMissedMessagesInOrderThenSynced() {
    start(Fixture.limits(), 5);
    Client b = bobConnects();

    List<ServerEvent> events = sync(b, "s1", Map.of(general, 2L));

    assertThat(events).hasSize(4);
    List<Message> replayed = new ArrayList<>();
    for (ServerEvent e : events.subList(0, 3)) {
      assertThat(e).isInstanceOf(ServerEvent.MessageEvent.class);
      replayed.add(((ServerEvent.MessageEvent) e).message());
    }
    assertThat(seqs(replayed)).containsExactly(3L, 4L, 5L);
    assertThat(replayed).extracting(Message::body).containsExactly("m3", "m4", "m5");
    assertThat(replayed).allSatisfy(m -> assertThat(m.room()).isEqualTo(general));
    assertThat(events.get(3)).isEqualTo(new ServerEvent.Synced("s1", general, 5, false));
  }

  @Test
  void anUpToDateClientGetsOnlySynced() {
    start(Fixture.limits(), 5);
    Client b = bobConnects();

    assertThat(sync(b, "s1", Map.of(general, 5L)))
        .containsExactly(new ServerEvent.Synced("s1", general, 5, false));
    // A client that claims more than exists is told where the room really is.
    assertThat(sync(b, "s2", Map.of(general, 9L)))
        .containsExactly(new ServerEvent.Synced("s2", general, 5, false));
  }

  @Test
  void aGapOverTheSyncLimitSendsTheNewestAndSaysLimited() {
    start(Fixture.limits().withSyncLimit(5), 8);
    Client b = bobConnects();

    List<ServerEvent> events = sync(b, "s1", Map.of(general, 0L));

    assertThat(seqs(b.conn.messages(general))).containsExactlyElementsOf(range(4, 8));
    assertThat(events).hasSize(6);
    assertThat(events.get(5)).isEqualTo(new ServerEvent.Synced("s1", general, 8, true));

    // Exactly the limit missed: not limited.
    List<ServerEvent> exact = sync(b, "s2", Map.of(general, 3L));
    assertThat(exact).hasSize(6);
    assertThat(exact.get(5)).isEqualTo(new ServerEvent.Synced("s2", general, 8, false));
  }

  @Test
  void aRoomIMayNotSeeFailsAloneWhileTheOthersSync() {
    start(Fixture.limits(), 3);
    a.send(secret, "for dave's eyes only");
    AuthResult erin = fx.register("erin");
    fx.engine.invite(alice.user(), general, "erin");
    String erinsRoom = fx.group(erin, "erin's").room().id();
    Client e = fx.connect(erin);
    e.send(erinsRoom, "mine");
    Map<String, Long> rooms = new HashMap<>();
    rooms.put(general, 1L);
    rooms.put(secret, 0L);
    rooms.put("no-such-room", 0L);
    rooms.put(erinsRoom, 0L);

    List<ServerEvent> events = sync(e, "s1", rooms);

    // general: m2, m3, synced; erin's: m1, synced; two errors
    assertThat(events).hasSize(7);
    assertThat(seqs(e.conn.messages(general))).containsExactly(2L, 3L);
    assertThat(e.conn.messages(secret)).isEmpty();
    assertThat(e.conn.events(ServerEvent.Synced.class))
        .containsExactlyInAnyOrder(
            new ServerEvent.Synced("s1", general, 3, false),
            new ServerEvent.Synced("s1", erinsRoom, 1, false));
    assertThat(e.conn.events(ServerEvent.Error.class))
        .extracting(ServerEvent.Error::id, ServerEvent.Error::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("s1", ErrorCode.FORBIDDEN),
            org.assertj.core.groups.Tuple.tuple("s1", ErrorCode.NOT_FOUND));
    assertThat(e.conn.closeCodes()).isEmpty();
  }

  @Test
  void badSyncsAreRejected() {
    start(Fixture.limits(), 2);
    Client b = bobConnects();

    List<ServerEvent> negative = sync(b, "s1", Map.of(general, -1L));
    assertThat(negative).singleElement().isInstanceOf(ServerEvent.Error.class);
    assertThat(((ServerEvent.Error) negative.get(0)).code()).isEqualTo(ErrorCode.BAD_REQUEST);

    Map<String, Long> tooMany = new HashMap<>();
    for (int i = 0; i <= 1_000; i++) {
      tooMany.put("room-" + i, 0L);
    }
    List<ServerEvent> huge = sync(b, "s2", tooMany);
    assertThat(huge)
        .singleElement()
        .isInstanceOfSatisfying(
            ServerEvent.Error.class, err -> assertThat(err.code()).isEqualTo(ErrorCode.TOO_LARGE));
  }

  private ServerEvent.HistoryPage history(Client c, Long before, Integer limit) {
    return c.request(
        new ClientCommand.History(Client.newRequestId(), general, before, limit),
        ServerEvent.HistoryPage.class);
  }

  @Test
  void historyPagesBackwardsWithoutOverlap() {
    start(Fixture.limits(), 12);
    Client b = bobConnects();

    ServerEvent.HistoryPage newest = history(b, null, 5);
    ServerEvent.HistoryPage middle = history(b, 8L, 5);
    ServerEvent.HistoryPage oldest = history(b, 3L, 5);

    assertThat(newest.room()).isEqualTo(general);
    assertThat(seqs(newest.messages())).containsExactlyElementsOf(range(8, 12));
    assertThat(newest.hasMore()).isTrue();
    assertThat(seqs(middle.messages())).containsExactlyElementsOf(range(3, 7));
    assertThat(middle.hasMore()).isTrue();
    assertThat(seqs(oldest.messages())).containsExactly(1L, 2L);
    assertThat(oldest.hasMore()).isFalse();
    // Exactly a page left: no more.
    ServerEvent.HistoryPage exact = history(b, 6L, 5);
    assertThat(seqs(exact.messages())).containsExactlyElementsOf(range(1, 5));
    assertThat(exact.hasMore()).isFalse();
    assertThat(history(b, 1L, 5).messages()).isEmpty();
  }

  @Test
  void historyLimitDefaultsTo50AndIsClampedTo100() {
    start(Fixture.limits(), 130);
    Client b = bobConnects();

    ServerEvent.HistoryPage byDefault = history(b, null, null);
    ServerEvent.HistoryPage clamped = history(b, null, 500);

    assertThat(seqs(byDefault.messages())).containsExactlyElementsOf(range(81, 130));
    assertThat(byDefault.hasMore()).isTrue();
    assertThat(seqs(clamped.messages())).containsExactlyElementsOf(range(31, 130));
    assertThat(clamped.hasMore()).isTrue();
    assertThat(seqs(history(b, 31L, 500).messages())).containsExactlyElementsOf(range(1, 30));
  }

  @Test
  void badHistoryRequestsAreRejected() {
    start(Fixture.limits(), 3);
    Client b = bobConnects();
    Client d = fx.connect(dave);

    assertThat(b.error(new ClientCommand.History("h1", general, null, 0)).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(b.error(new ClientCommand.History("h2", general, 0L, 5)).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(b.error(new ClientCommand.History("h3", "no-such-room", null, 5)).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(d.error(new ClientCommand.History("h4", general, null, 5)).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(d.conn.events(ServerEvent.HistoryPage.class)).isEmpty();
    assertThat(b.conn.events(ServerEvent.HistoryPage.class)).isEmpty();
  }

  @Test
  void theHttpMessagesApiPagesBothWays() {
    start(Fixture.limits(), 12);

    MessagePage first = fx.engine.messages(bob.user(), general, null, 0L, 5);
    MessagePage last = fx.engine.messages(bob.user(), general, null, 10L, 5);
    MessagePage newest = fx.engine.messages(bob.user(), general, null, null, 5);
    MessagePage older = fx.engine.messages(bob.user(), general, 8L, null, 5);

    assertThat(seqs(first.messages())).containsExactlyElementsOf(range(1, 5));
    assertThat(first.hasMore()).isTrue();
    assertThat(seqs(last.messages())).containsExactly(11L, 12L);
    assertThat(last.hasMore()).isFalse();
    assertThat(seqs(newest.messages())).containsExactlyElementsOf(range(8, 12));
    assertThat(newest.hasMore()).isTrue();
    assertThat(seqs(older.messages())).containsExactlyElementsOf(range(3, 7));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.messages(bob.user(), general, 5L, 1L, 5));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.messages(bob.user(), general, null, -1L, 5));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.messages(dave.user(), general, null, null, 5));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.messages(bob.user(), "nope", null, null, 5));
  }
}
