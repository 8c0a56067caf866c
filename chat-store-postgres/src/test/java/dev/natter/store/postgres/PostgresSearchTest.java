package dev.natter.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the PostgreSQL store's search adds to the contract: typed text is never query syntax, and a
 * snippet of a long body is a fragment around the match with ellipses where it cuts.
 */
class PostgresSearchTest {
  @RegisterExtension static final PgTestDatabase PG = new PgTestDatabase();

  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final User ALICE = new User("u-alice", "alice", "Alice");

  private PostgresChatStore store;
  private int sent;

  @BeforeEach
  void open() {
    store = PG.openEmptyStore();
    store.createUser(ALICE, "hash", T0);
    store.createRoom(
        new NewRoom(
            new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
            Map.of(ALICE.id(), Role.OWNER)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void send(String body) throws Exception {
    sent++;
    store
        .append(new NewMessage("r-1", "m-" + sent, ALICE, "c-" + sent, body, null, T0), m -> {})
        .get(30, TimeUnit.SECONDS);
  }

  private List<String> bodiesFound(String query) {
    return store.search(List.of("r-1"), query, 10).stream().map(h -> h.message().body()).toList();
  }

  @Test
  void typedTextIsNeverQuerySyntaxAndEveryWordMustMatch() throws Exception {
    send("quick fox");
    send("slow turtle");
    send("quick or slow, who knows");
    send("a \"quoted\" word and a lead-in");

    assertThat(bodiesFound("quick or slow")).containsExactly("quick or slow, who knows");
    assertThat(bodiesFound("quick -fox")) // the word fox, not "without fox"
        .containsExactly("quick fox");
    assertThat(bodiesFound("\"quoted")).containsExactly("a \"quoted\" word and a lead-in");
    assertThat(bodiesFound("LEAD-IN")).containsExactly("a \"quoted\" word and a lead-in");
    assertThat(bodiesFound("turt")).as("whole words only").isEmpty();
    assertThat(bodiesFound("!!! &&")).isEmpty();
  }

  @Test
  void aLongBodyGivesAFragmentAroundTheMatchWithEllipses() throws Exception {
    String body =
        "word ".repeat(60) + "before the Needle, after it " + "more ".repeat(60) + "the end";
    send(body);

    SearchHit hit = store.search(List.of("r-1"), "needle", 10).get(0);

    assertThat(hit.message().body()).isEqualTo(body);
    assertThat(hit.snippet())
        .startsWith("\u2026")
        .endsWith("\u2026")
        .contains("before the [Needle], after it")
        .hasSizeLessThan(160);
  }
}
