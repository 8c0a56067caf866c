package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding 5 (issue 12): names people see are NFC-normalised; bidirectional controls are refused,
 * zero-width characters and C0/C1 controls stripped, in display names and room names alike.
 */
class NamesTest {
  private Fixture fx;
  private AuthResult alice;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private String displayNameOf(String username, String displayName) {
    return fx.engine.register(username, Fixture.PASSWORD, displayName).user().displayName();
  }

  private String roomName(String name) {
    return fx.group(alice, name).room().name();
  }

  @Test
  void bidiOverridesAndIsolatesAreRefusedWithAClearBadRequest() {
    for (String bidi :
        new String[] {
          "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"
        }) {
      ChatException e =
          assertFails(
              ErrorCode.BAD_REQUEST,
              () -> fx.engine.register("mallory", Fixture.PASSWORD, "Ali" + bidi + "ecn"));
      assertThat(e).hasMessageContaining("displayName").hasMessageContaining("bidirectional");
      assertThat(assertFails(ErrorCode.BAD_REQUEST, () -> roomName(bidi + "slp.exe")).getMessage())
          .contains("name")
          .contains("bidirectional");
    }
    assertThat(fx.engine.searchUsers(alice.user(), "mallory")).isEmpty();
    assertThat(fx.engine.rooms(alice.user())).isEmpty();
  }

  @Test
  void zeroWidthCharactersAndControlsAreStripped() {
    assertThat(displayNameOf("bob", "B\u200Bo\u200Cb\u200D\u200E\u200F\u2060\uFEFF"))
        .isEqualTo("Bob");
    assertThat(displayNameOf("carol", "Ca\u0085r\u009Bo\u0000l\u007F\n")).isEqualTo("Carol");
    assertThat(roomName("gen\u200Beral\u0080\u009F\t")).isEqualTo("general");
  }

  @Test
  void namesAreNfcNormalisedSoEqualLookingNamesAreEqual() {
    String decomposed = "Zoe\u0301"; // e + combining acute
    assertThat(displayNameOf("zoe", decomposed)).isEqualTo("Zo\u00E9").hasSize(3);
    assertThat(roomName("cafe\u0301")).isEqualTo("caf\u00E9");
  }

  @Test
  void aNameThatIsNothingButInvisibleCharactersFallsBackOrIsRefused() {
    assertThat(displayNameOf("dave", "\u200B\u200B")).isEqualTo("dave");
    assertFails(ErrorCode.BAD_REQUEST, () -> roomName("\u200B\uFEFF"));
  }
}
