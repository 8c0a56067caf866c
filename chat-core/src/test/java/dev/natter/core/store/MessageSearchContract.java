package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.Message;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.MessageSearch}: every term matches, only the given
 * rooms, live messages, newest first, with a marked snippet. See {@link StoreContract} for how a
 * store runs it.
 */
public abstract class MessageSearchContract extends StoreContract<ChatStore> {
  @Test
  void searchFindsLiveMessagesInTheGivenRooms() {
    User alice = user("alice");
    String r1 = groupWith("r-1", alice);
    String r2 = groupWith("r-2", alice);
    String r3 = groupWith("r-3", alice);
    Message fox = send(r1, alice, "the quick brown fox", at(1));
    Message thinking = send(r2, alice, "Quick thinking", at(2));
    send(r3, alice, "quick but secret", at(3));
    send(r1, alice, "slow turtle", at(4));
    Message gone = send(r1, alice, "QUICK and soon deleted", at(5));
    store.deleteMessage(r1, gone.messageId());
    Message newest = send(r2, alice, "very quick indeed", at(6));

    // newest first, across rooms; a limit keeps the newest
    assertThat(store.search(List.of(r1, r2), "quick", 10))
        .extracting(h -> h.message().messageId())
        .containsExactly(newest.messageId(), thinking.messageId(), fox.messageId());
    assertThat(store.search(List.of(r1, r2), "QUICK", 2))
        .extracting(h -> h.message().messageId())
        .containsExactly(newest.messageId(), thinking.messageId());
    assertThat(store.search(List.of(r1, r2), "fox quick", 10))
        .extracting(SearchHit::message)
        .containsExactly(fox);
    assertThat(store.search(List.of(r1), "deleted", 10)).isEmpty();
    assertThat(store.search(List.of(r1, r2), "secret", 10)).isEmpty();
    assertThat(store.search(List.of(r3), "secret", 10)).hasSize(1);
    assertThat(store.search(List.of(), "quick", 10)).isEmpty();
  }

  @Test
  void searchOrdersHitsNewestFirstThenBySeqThenByRoom() {
    User alice = user("alice");
    String r1 = groupWith("r-1", alice);
    String r2 = groupWith("r-2", alice);
    Message older = send(r2, alice, "match older", at(1));
    Message first = send(r1, alice, "match first", at(2)); // r-1 seq 1
    Message second = send(r1, alice, "match second", at(2)); // r-1 seq 2, same instant
    Message other = send(r2, alice, "match other room", at(2)); // r-2 seq 2, same instant
    Message newest = send(r2, alice, "match newest", at(3));

    // ts descending, then seq descending, then room id: not relevance
    assertThat(store.search(List.of(r2, r1), "match", 10))
        .extracting(SearchHit::message)
        .containsExactly(newest, second, other, first, older);
  }

  @Test
  void searchSnippetsMarkTheFirstMatchWithContext() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    send(room, alice, "find the needle here", at(1));
    String before = "a".repeat(40) + " lead-in words before ";
    String after = " trailing words after " + "z".repeat(40);
    send(room, alice, before + "Haystack" + after, at(2));
    send(room, alice, "alpha beta gamma", at(3));

    assertThat(store.search(List.of(room), "needle", 10))
        .singleElement()
        .extracting(SearchHit::snippet)
        .isEqualTo("find the [needle] here");
    assertThat(store.search(List.of(room), "gamma alpha", 10))
        .singleElement()
        .extracting(SearchHit::snippet)
        .asString()
        .contains("[alpha]")
        .contains("beta");

    String snippet = store.search(List.of(room), "haystack", 10).get(0).snippet();
    assertThat(snippet).contains("before [Haystack] trailing");
    assertThat(snippet.length()).isLessThan(160);
  }
}
