package dev.natter.cli.bench;

import dev.natter.cli.CliException;
import dev.natter.cli.bench.AccountBook.Account;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates what a Natter run needs through the HTTP API: bench users (registered, or reused from the
 * {@link AccountBook}), their rooms and DMs, and says who connects.
 */
final class NatterSetup {
  private static final int REGISTER_THREADS = 4;

  private final NatterApi api;
  private final AccountBook book;
  private final AtomicInteger registered = new AtomicInteger();
  private volatile int registering;

  NatterSetup(NatterApi api, AccountBook book) {
    this.api = api;
    this.book = book;
  }

  /** A line about the setup's progress, or null. */
  String progress() {
    int r = registering;
    return r == 0 ? null : "registering bench users: " + registered.get() + " of " + r;
  }

  /** Users, rooms and plans for {@code spec}. */
  Population populate(BenchSpec spec) {
    return switch (spec.workload()) {
      case FANOUT, SLOW_READER -> room(spec, "fanout", false);
      case HISTORY -> room(spec, "history", true);
      case DM -> dmPairs(spec.pairs());
      case IDLE -> idle(spec);
    };
  }

  private Population room(BenchSpec spec, String kind, boolean history) {
    List<Account> users = users(spec.members());
    String room = group(kind + ":" + users.size(), users);
    List<Peer.Plan> plans = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      boolean slow = spec.workload() == Workload.SLOW_READER && i == users.size() - 1;
      plans.add(new Peer.Plan(users.get(i).token(), room, !slow));
    }
    long fill = 0;
    if (history) {
      long have = api.lastSeq(users.get(0).token(), room);
      fill = Math.max(0, spec.historyMessages() - have);
    }
    return new Population(plans, spec.senders(), fill, users.size());
  }

  private Population dmPairs(int pairs) {
    List<Account> users = users(2 * pairs);
    List<Peer.Plan> plans = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      Account a = users.get(2 * i);
      Account b = users.get(2 * i + 1);
      String dm = api.openDm(a.token(), b.username());
      plans.add(new Peer.Plan(a.token(), dm, true));
      plans.add(new Peer.Plan(b.token(), dm, true));
    }
    return new Population(plans, 0, 0, users.size());
  }

  private Population idle(BenchSpec spec) {
    List<Account> users = users(spec.users());
    List<String> rooms = new ArrayList<>();
    if (spec.roomSize() > 1) {
      for (int from = 0; from < users.size(); from += spec.roomSize()) {
        List<Account> group = users.subList(from, Math.min(users.size(), from + spec.roomSize()));
        rooms.add(group("idle:" + spec.roomSize() + ":" + from, group));
      }
    }
    List<Peer.Plan> plans = new ArrayList<>();
    for (int i = 0; i < spec.connections(); i++) {
      int u = i % users.size();
      String room = rooms.isEmpty() ? null : rooms.get(u / spec.roomSize());
      plans.add(new Peer.Plan(users.get(u).token(), room, true));
    }
    return new Population(plans, 0, 0, users.size());
  }

  /** The first {@code n} bench users, registering those the book lacks. */
  List<Account> users(int n) {
    List<Account> have = book.users();
    if (!have.isEmpty() && !api.signedIn(have.get(0).token())) {
      book.reset(); // another server, or the sessions ended
    }
    int missing = n - book.users().size();
    if (missing > 0) {
      register(book.newUsernames(missing));
    }
    return book.users().subList(0, n);
  }

  private void register(List<String> names) {
    String password = randomPassword();
    registering = names.size();
    registered.set(0);
    ExecutorService pool = Executors.newFixedThreadPool(REGISTER_THREADS);
    try {
      List<Future<String>> tokens = new ArrayList<>();
      for (String name : names) {
        tokens.add(
            pool.submit(
                () -> {
                  String token = api.register(name, password);
                  registered.incrementAndGet();
                  return token;
                }));
      }
      RuntimeException failure = null;
      for (int i = 0; i < names.size(); i++) {
        try {
          book.addUser(new Account(names.get(i), tokens.get(i).get()));
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : CliException.failure("registration failed", e.getCause());
            tokens.forEach(t -> t.cancel(true));
          }
        } catch (CancellationException e) {
          // after the first failure
        }
      }
      book.save();
      if (failure != null) {
        throw failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while registering bench users");
    } finally {
      pool.shutdownNow();
      registering = 0;
    }
  }

  /** The room saved under {@code key} when its owner still reads it, else a new private group. */
  private String group(String key, List<Account> members) {
    Account owner = members.get(0);
    String id = book.room(key);
    if (id != null && api.lastSeq(owner.token(), id) >= 0) {
      return id;
    }
    List<String> others =
        members.subList(1, members.size()).stream().map(Account::username).toList();
    id = api.createRoom(owner.token(), "bench " + key, others);
    book.room(key, id);
    book.save();
    return id;
  }

  private static String randomPassword() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
