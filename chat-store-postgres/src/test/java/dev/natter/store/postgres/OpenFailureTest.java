package dev.natter.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.natter.core.ChatException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Opening a store whose database cannot be reached fails clearly; needs no database. */
class OpenFailureTest {
  @Test
  void aStoreWhoseDatabaseCannotBeReachedFailsToOpenWithTheReasonAndNoPassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/natter?user=u&password=secret";

    Throwable thrown =
        catchThrowable(
            () ->
                PostgresChatStore.open(
                    PostgresStoreOptions.builder(url)
                        .connectionTimeout(Duration.ofMillis(500))
                        .build()));

    assertThat(thrown)
        .isExactlyInstanceOf(ChatException.StoreFailure.class)
        .hasMessageContaining("cannot open the store at jdbc:postgresql://127.0.0.1:" + closedPort)
        .hasMessageContaining("password=***")
        .hasMessageContaining("the database cannot be reached")
        .hasMessageNotContaining("secret");
  }

  @Test
  void optionsRefuseOtherUrlsAndUnsafeSchemaNamesAndHidePasswords() {
    assertThatThrownBy(() -> PostgresStoreOptions.of("jdbc:sqlite:natter.db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(
            () -> PostgresStoreOptions.builder("postgresql://h/db").schema("x; DROP").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PostgresStoreOptions.of("postgresql://natter:s3cret@db:5432/chat").toString())
        .contains("postgresql://natter:***@db:5432/chat")
        .doesNotContain("s3cret");
  }
}
