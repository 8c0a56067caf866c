package dev.natter.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgUrlTest {
  @Test
  void aJdbcUrlPassesThroughAsItIs() {
    assertThat(PgUrl.parse("jdbc:postgresql://127.0.0.1:5432/test?user=root"))
        .isEqualTo(new PgUrl("jdbc:postgresql://127.0.0.1:5432/test?user=root", null, null));
  }

  @Test
  void aLibpqUrlBecomesTheJdbcUrlOfTheSameHostsDatabaseAndParameters() {
    assertThat(
            PgUrl.parse("postgresql://natter:p%40ss%2Bword@db.example:6432/chat?sslmode=require"))
        .isEqualTo(
            new PgUrl(
                "jdbc:postgresql://db.example:6432/chat?sslmode=require", "natter", "p@ss+word"));
    assertThat(PgUrl.parse("postgres://h1:5432,h2:5433/chat"))
        .isEqualTo(new PgUrl("jdbc:postgresql://h1:5432,h2:5433/chat", null, null));
    assertThat(PgUrl.parse("postgresql://root@/test"))
        .isEqualTo(new PgUrl("jdbc:postgresql://localhost/test", "root", null));
    assertThat(PgUrl.parse("postgresql:///test").jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost/test");
  }

  @Test
  void redactHidesPasswordsInEitherKindOfUrl() {
    assertThat(PgUrl.redact("jdbc:postgresql://h/db?user=u&password=secret&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
    assertThat(PgUrl.redact("postgresql://u:secret@h/db")).isEqualTo("postgresql://u:***@h/db");
    assertThat(PgUrl.redact("postgresql://u@h/db")).isEqualTo("postgresql://u@h/db");
  }
}
