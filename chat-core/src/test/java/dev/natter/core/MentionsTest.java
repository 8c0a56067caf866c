package dev.natter.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.User;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mention rule: which members a body mentions. */
class MentionsTest {
  private static final User ALICE = new User("u-alice", "alice", "Alice");
  private static final User BOB = new User("u-bob", "Bob", "Bob B.");
  private static final User CAROL = new User("u-carol", "carol.w", "Carol");
  private static final User DAN = new User("u-dan", "dan_", "Dan");
  private static final List<User> MEMBERS = List.of(ALICE, BOB, CAROL, DAN);

  private static List<String> resolve(String body) {
    return Mentions.resolve(body, MEMBERS, ALICE.id());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "@bob hi|u-bob",
        "hi @bob|u-bob",
        "hi @BOB!|u-bob",
        "@bob,|u-bob",
        "(@bob)|u-bob",
        "\"@bob\"|u-bob",
        "end of sentence, @bob.|u-bob",
        "@bob...|u-bob",
        "@bob's idea|u-bob",
        "@bob: see|u-bob",
        "line\\n@bob|u-bob",
        "@bob- so|u-bob",
        "@carol.w|u-carol",
        "@carol.w.|u-carol",
        "@dan_|u-dan",
        "@dan_.|u-dan",
        "@bob @bob @BOB|u-bob",
        "@carol.w then @bob|u-carol u-bob",
        "@bob then @carol.w|u-bob u-carol",
      })
  void mentions(String body, String expected) {
    assertThat(resolve(body.replace("\\n", "\n"))).containsExactly(expected.split(" "));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no mention at all",
        "email@bob.com",
        "x@bob",
        "é@bob",
        "_@bob",
        "a.@bob",
        "@@bob",
        "@bobby",
        "@bob.smith",
        "@carol",
        "@ bob",
        "@",
        "@eve (not a member)",
        "@alice (the sender)",
      })
  void mentionsNobody(String body) {
    assertThat(resolve(body)).isEmpty();
  }

  @Test
  void atRoomMentionsEveryMemberButTheSenderInMemberOrderAfterEarlierMentions() {
    assertThat(resolve("@room lunch?")).containsExactly("u-bob", "u-carol", "u-dan");
    assertThat(resolve("@dan_ and @ROOM")).containsExactly("u-dan", "u-bob", "u-carol");
    assertThat(resolve("see email@room.org")).isEmpty();
    assertThat(resolve("lunch, @room.")).containsExactly("u-bob", "u-carol", "u-dan");
    assertThat(resolve("@roomy")).isEmpty();
    User named = new User("u-room", "room", "Room");
    assertThat(Mentions.resolve("@room", List.of(ALICE, named, BOB), ALICE.id()))
        .containsExactly("u-room", "u-bob");
    assertThat(Mentions.resolve("@room", MEMBERS, BOB.id()))
        .containsExactly("u-alice", "u-carol", "u-dan");
  }

  @Test
  void aBodyWithoutAtNeedsNoMembers() {
    assertThat(Mentions.mayMention("plain text")).isFalse();
    assertThat(Mentions.mayMention("a@b")).isTrue();
    assertThat(Mentions.resolve("plain text", List.of(), ALICE.id())).isEmpty();
  }

  @Test
  void aLongBodyOfAtSignsIsResolvedInOnePass() {
    String body = "@".repeat(16_000);
    assertThat(resolve(body)).isEmpty();
    assertThat(resolve("@bob ".repeat(3_000))).containsExactly("u-bob");
    assertThat(resolve("@bob" + ".".repeat(15_000))).containsExactly("u-bob");
    assertThat(resolve("@bob" + ".".repeat(15_000) + "x")).isEmpty();
  }
}
