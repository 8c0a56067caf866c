package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.natter.core.AuthResult;
import dev.natter.core.Authenticated;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.Limits;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.HeartbeatPolicy;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** An engine on an in-memory store, with helpers to register users and connect fake clients. */
final class Fixture implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";

  /** Defaults, except a send rate no test hits by accident and a short typing expiry. */
  static Limits limits() {
    return Limits.defaults()
        .withSendRate(100_000, Duration.ofSeconds(1))
        .withTyping(Duration.ofMillis(300), Duration.ofMillis(100))
        .toBuilder()
        .readRate(100_000, Duration.ofSeconds(1))
        .presenceDebounce(Duration.ZERO)
        .build();
  }

  final InMemoryChatStore memory = new InMemoryChatStore();
  final ChatStore store;
  final ManualClock clock;
  final ChatEngine engine;

  private Fixture(Builder b) {
    this.store = b.wrap.apply(memory);
    this.clock = b.systemClock ? null : new ManualClock();
    Clock engineClock = b.systemClock ? Clock.system() : clock;
    this.engine =
        ChatEngine.builder(store)
            .passwordHasher(new Pbkdf2PasswordHasher(1000))
            .clock(engineClock)
            .limits(b.limits)
            .heartbeat(b.heartbeat)
            .build();
  }

  static Fixture start() {
    return builder().start();
  }

  static Builder builder() {
    return new Builder();
  }

  /** The display name every test user gets: the username, capitalized. */
  static String displayName(String username) {
    return Character.toUpperCase(username.charAt(0)) + username.substring(1);
  }

  AuthResult register(String username) {
    return engine.register(username, PASSWORD, displayName(username));
  }

  /** A second session of the same user (another device). */
  AuthResult login(AuthResult account) {
    return engine.login(account.user().username(), PASSWORD, null);
  }

  Client connect(AuthResult account) {
    return connect(account, new FakeConnection());
  }

  Client connect(AuthResult account, FakeConnection connection) {
    Authenticated auth = engine.authenticate(account.token());
    return new Client(auth.user(), engine.connect(auth, connection), connection);
  }

  RoomSummary group(AuthResult owner, String name, AuthResult... members) {
    return group(owner, name, Visibility.PRIVATE, members);
  }

  RoomSummary group(AuthResult owner, String name, Visibility visibility, AuthResult... members) {
    return engine.createRoom(
        owner.user(),
        name,
        visibility,
        Arrays.stream(members).map(m -> m.user().username()).toList());
  }

  @Override
  public void close() {
    engine.close();
    memory.close();
  }

  /** Asserts that {@code call} fails with a {@link ChatException} of exactly this code. */
  static ChatException assertFails(ErrorCode code, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected a ChatException with code %s", code).isNotNull();
    assertThat(thrown).isInstanceOf(ChatException.class);
    ChatException e = (ChatException) thrown;
    assertThat(e.code()).as("error code (message: %s)", e.getMessage()).isEqualTo(code);
    return e;
  }

  static final class Builder {
    private Limits limits = Fixture.limits();
    private boolean systemClock;
    private UnaryOperator<ChatStore> wrap = s -> s;
    private HeartbeatPolicy heartbeat = HeartbeatPolicy.defaults();

    Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    /** Real time instead of the manual clock (for typing, whose timers run in real time). */
    Builder systemClock() {
      this.systemClock = true;
      return this;
    }

    /** Puts a wrapper (usually a {@link DelegatingStore}) between the engine and the store. */
    Builder store(UnaryOperator<ChatStore> wrap) {
      this.wrap = wrap;
      return this;
    }

    Builder heartbeat(HeartbeatPolicy heartbeat) {
      this.heartbeat = heartbeat;
      return this;
    }

    Fixture start() {
      return new Fixture(this);
    }
  }
}
