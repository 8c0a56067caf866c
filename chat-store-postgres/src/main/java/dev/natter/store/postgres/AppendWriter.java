package dev.natter.store.postgres;

import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.spi.StoreErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends, committed in batches per room. Every room belongs to one of a few lanes (by the hash of
 * its id); a lane is a thread with a queue. It takes what is queued (up to {@code maxBatchSize})
 * and commits each room's share of it in one transaction of one statement ({@link
 * AppendDao#store}), run with autocommit, so one round trip to the database, commit included:
 *
 * <ol>
 *   <li>{@code UPDATE rooms SET last_seq = last_seq + n ... RETURNING last_seq} takes the room's
 *       next n seqs and locks the room's row (which orders appends to one room across every node);
 *   <li>the INSERT of the same statement stores the n messages with those seqs, in queue order;
 *   <li>the commit ({@code synchronous_commit} stays on: acked means durable).
 * </ol>
 *
 * <p>While one batch commits, the next gathers in the queue, so batches grow with load and stay at
 * one append when idle. Only after the commit are the {@code onCommitted} callbacks called, in seq
 * order (one lane per room, so never concurrently for a room), and then the futures completed.
 *
 * <p><b>Resends and other refused rows.</b> A resend (a {@code (sender, clientMsgId)} that is
 * stored already, or sent twice within the batch), a taken message id or a missing sender breaks a
 * constraint of the INSERT: PostgreSQL then aborts the whole statement, seq bump included, so
 * nothing is stored and no seq is lost. The batch is then committed again one append per
 * transaction, which finds each refused append's cause: a resend gets the original message read
 * back (a duplicate), the others fail alone. This is chosen over a transaction with a savepoint per
 * append: that costs a round trip per statement (savepoint, bump, insert, release) for every append
 * to save work only in the rare batch that holds a resend, and many subtransactions in one
 * transaction are a known slow path of PostgreSQL. A deadlock or serialization failure (two nodes
 * inserting each other's resends at once) is retried the same way. A failure of the database or of
 * the commit fails every append of the batch: nothing of it was acked (a client resends with the
 * same clientMsgId, which is then stored once whatever the commit did).
 *
 * <p>{@code maxBatchSize} 1 commits each append alone (no batching).
 */
final class AppendWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppendWriter.class);

  /** How many appends may wait in one lane; senders block when it is full. */
  static final int LANE_CAPACITY = 8192;

  /** Tells a lane that no more appends come. */
  private static final Pending STOP = new Pending(null, m -> {});

  private final Jdbi jdbi;
  private final int maxBatchSize;
  private final List<Lane> lanes = new ArrayList<>();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private boolean closed; // guarded by gate
  private final LongAdder appended = new LongAdder();
  private final LongAdder transactions = new LongAdder();
  private final LongAdder retriedBatches = new LongAdder();

  AppendWriter(Jdbi jdbi, int laneCount, int maxBatchSize, String name) {
    this.jdbi = jdbi;
    this.maxBatchSize = maxBatchSize;
    for (int i = 0; i < laneCount; i++) {
      Lane lane = new Lane(name + "-" + i);
      lanes.add(lane);
      lane.thread.start();
    }
  }

  /** An append waiting for its lane. */
  private record Pending(
      NewMessage message, Consumer<Message> onCommitted, CompletableFuture<AppendResult> future) {
    Pending(NewMessage message, Consumer<Message> onCommitted) {
      this(message, onCommitted, new CompletableFuture<>());
    }

    Message stored(long seq) {
      return message.stored(seq);
    }
  }

  /** What became of one append: a result, or a failure. */
  private record Outcome(Pending pending, AppendResult result, RuntimeException failure) {
    static Outcome stored(Pending p, long seq) {
      return new Outcome(p, new AppendResult(p.stored(seq), false), null);
    }

    static Outcome failed(Pending p, RuntimeException failure) {
      return new Outcome(p, null, failure);
    }
  }

  /**
   * Queues an append; the future completes after its commit. Blocks while the room's lane is full.
   */
  CompletableFuture<AppendResult> submit(NewMessage message, Consumer<Message> onCommitted) {
    try {
      Nanos.of(message.ts()); // a time the store cannot keep fails here, not in the batch
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(PgErrors.translate(e));
    }
    Pending pending = new Pending(message, onCommitted);
    gate.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(StoreErrors.closed());
      }
      laneOf(message.room()).queue.put(pending);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(StoreErrors.failed(e));
    } finally {
      gate.readLock().unlock();
    }
    return pending.future;
  }

  private Lane laneOf(String roomId) {
    return lanes.get(Math.floorMod(roomId.hashCode(), lanes.size()));
  }

  long appended() {
    return appended.sum();
  }

  long transactions() {
    return transactions.sum();
  }

  long retriedBatches() {
    return retriedBatches.sum();
  }

  int queued() {
    return lanes.stream().mapToInt(l -> l.queue.size()).sum();
  }

  /** True if the current thread is one of the lanes (which must never wait for an append). */
  boolean isLaneThread() {
    return lanes.stream().anyMatch(l -> l.thread == Thread.currentThread());
  }

  /** Commits what is queued, then stops the lanes. Idempotent. */
  @Override
  public void close() {
    gate.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Lane lane : lanes) {
        lane.queue.add(STOP); // after everything queued: no append can be queued any more
      }
    } finally {
      gate.writeLock().unlock();
    }
    for (Lane lane : lanes) {
      try {
        lane.thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One thread and its queue: the rooms whose id hashes to it. */
  private final class Lane implements Runnable {
    final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(LANE_CAPACITY);
    final Thread thread;

    Lane(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      List<Pending> batch = new ArrayList<>(maxBatchSize);
      boolean stopping = false;
      while (!stopping) {
        batch.clear();
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          LOG.warn("{} interrupted; it stops", thread.getName());
          return;
        }
        queue.drainTo(batch, maxBatchSize - 1);
        stopping = batch.removeIf(p -> p == STOP);
        for (List<Pending> roomShare : byRoom(batch).values()) {
          commitInOrder(roomShare);
        }
      }
    }
  }

  /**
   * Commits one room's appends in queue order: runs of appends without files together ({@link
   * #commit}), each append with files in a transaction of its own ({@link #withFiles}).
   */
  private void commitInOrder(List<Pending> roomShare) {
    List<Pending> run = new ArrayList<>();
    for (Pending p : roomShare) {
      if (p.message().files().isEmpty()) {
        run.add(p);
        continue;
      }
      if (!run.isEmpty()) {
        deliver(commit(run));
        run = new ArrayList<>();
      }
      deliver(List.of(withFiles(p)));
    }
    if (!run.isEmpty()) {
      deliver(commit(run));
    }
  }

  /**
   * Stores an append and attaches its files in one transaction: a file that is not the sender's
   * pending upload to the room rolls all of it back. A resend is found as for any append.
   */
  private Outcome withFiles(Pending p) {
    NewMessage m = p.message();
    try (Handle h = jdbi.open()) {
      try {
        return h.inTransaction(
            tx -> {
              Outcome stored = inOneTransaction(tx, List.of(p)).get(0);
              FileDao files = tx.attach(FileDao.class);
              for (int i = 0; i < m.files().size(); i++) {
                String id = m.files().get(i).id();
                if (files.attach(id, m.room(), m.sender().id(), m.messageId(), i) != 1) {
                  throw StoreErrors.fileNotAttachable(id);
                }
              }
              return stored;
            });
      } catch (dev.natter.core.ChatException refused) {
        if (m.clientMsgId() != null) {
          Optional<Message> original =
              h.attach(MessageDao.class).findByClientMsgId(m.sender().id(), m.clientMsgId());
          if (original.isPresent()) {
            return new Outcome(p, new AppendResult(original.get(), true), null);
          }
        }
        return Outcome.failed(p, refused);
      } catch (Exception e) {
        return refused(h, p, e);
      }
    } catch (RuntimeException e) {
      return failAll(List.of(p), e).get(0);
    }
  }

  /** The batch's appends per room, each room's in queue order. */
  private static Map<String, List<Pending>> byRoom(List<Pending> batch) {
    Map<String, List<Pending>> rooms = new LinkedHashMap<>();
    for (Pending p : batch) {
      rooms.computeIfAbsent(p.message().room(), r -> new ArrayList<>()).add(p);
    }
    return rooms;
  }

  /** Commits one room's appends: all in one transaction, else one by one (see the class doc). */
  private List<Outcome> commit(List<Pending> appends) {
    try (Handle h = jdbi.open()) {
      try {
        return inOneTransaction(h, appends);
      } catch (Exception e) {
        if (appends.size() == 1 && !PgErrors.isRetryable(e)) {
          return List.of(refused(h, appends.get(0), e));
        }
        if (!PgErrors.isDataError(e) && !PgErrors.isRetryable(e)) {
          return failAll(appends, e);
        }
        retriedBatches.increment();
        List<Outcome> outcomes = new ArrayList<>(appends.size());
        for (Pending p : appends) {
          outcomes.add(alone(h, p));
        }
        return outcomes;
      }
    } catch (RuntimeException e) { // no connection to be had, or closing it failed
      return failAll(appends, e);
    }
  }

  /** Stores {@code appends} (one room's) in one statement; see {@link AppendDao#store}. */
  private List<Outcome> inOneTransaction(Handle h, List<Pending> appends) {
    int n = appends.size();
    String[] messageIds = new String[n];
    String[] senderIds = new String[n];
    String[] clientMsgIds = new String[n];
    String[] bodies = new String[n];
    String[] replyTos = new String[n];
    Long[] ts = new Long[n];
    for (int i = 0; i < n; i++) {
      NewMessage m = appends.get(i).message();
      messageIds[i] = m.messageId();
      senderIds[i] = m.sender().id();
      clientMsgIds[i] = m.clientMsgId();
      bodies[i] = m.body();
      replyTos[i] = m.replyTo();
      ts[i] = Nanos.of(m.ts());
    }
    String roomId = appends.get(0).message().room();
    List<Long> seqs =
        h.attach(AppendDao.class)
            .store(roomId, messageIds, senderIds, clientMsgIds, bodies, replyTos, ts);
    if (seqs.isEmpty()) {
      throw StoreErrors.noSuchRoom();
    }
    transactions.increment();
    appended.add(n);
    long first = seqs.stream().mapToLong(Long::longValue).max().getAsLong() - n + 1;
    List<Outcome> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      outcomes.add(Outcome.stored(appends.get(i), first + i));
    }
    return outcomes;
  }

  /** One append in a transaction of its own; a deadlock is tried again (three tries in all). */
  private Outcome alone(Handle h, Pending p) {
    for (int attempt = 1; ; attempt++) {
      try {
        return inOneTransaction(h, List.of(p)).get(0);
      } catch (Exception e) {
        if (!PgErrors.isRetryable(e) || attempt == 3) {
          return refused(h, p, e);
        }
      }
    }
  }

  /**
   * What an append whose own transaction failed with {@code e} gets: the original message if it is
   * a resend (the unique violation means the original is committed: PostgreSQL waits for a
   * concurrent insert of the same key to end before it reports one), else its failure.
   */
  private static Outcome refused(Handle h, Pending p, Exception e) {
    NewMessage m = p.message();
    try {
      if (PgErrors.sqlState(e).equals(PgErrors.UNIQUE) && m.clientMsgId() != null) {
        Optional<Message> original =
            h.attach(MessageDao.class).findByClientMsgId(m.sender().id(), m.clientMsgId());
        if (original.isPresent()) {
          return new Outcome(p, new AppendResult(original.get(), true), null);
        }
      }
    } catch (RuntimeException readFailed) {
      e.addSuppressed(readFailed);
    }
    if (PgErrors.isUnique(e, Constraints.MESSAGE_ID)) {
      return Outcome.failed(p, StoreErrors.withCause(StoreErrors.messageIdTaken(), e));
    }
    if (PgErrors.isForeignKey(e, Constraints.MESSAGE_SENDER)) {
      return Outcome.failed(p, StoreErrors.withCause(StoreErrors.noSuchUser(), e));
    }
    if (PgErrors.isUnique(
        e, Constraints.CLIENT_MSG_ID)) { // the original vanished: messages are never removed
      return Outcome.failed(p, StoreErrors.failed(e));
    }
    return Outcome.failed(p, PgErrors.translate(e));
  }

  private static List<Outcome> failAll(List<Pending> appends, Exception e) {
    RuntimeException failure = PgErrors.translate(e);
    return appends.stream().map(p -> Outcome.failed(p, failure)).toList();
  }

  /** Callbacks in seq order, then the futures: after the commit, never before. */
  private static void deliver(List<Outcome> outcomes) {
    for (Outcome o : outcomes) {
      if (o.result() != null && !o.result().duplicate()) {
        try {
          o.pending().onCommitted().accept(o.result().message());
        } catch (RuntimeException e) {
          LOG.warn("an onCommitted callback failed", e);
        }
      }
    }
    for (Outcome o : outcomes) {
      if (o.failure() != null) {
        o.pending().future().completeExceptionally(o.failure());
      } else {
        o.pending().future().complete(o.result());
      }
    }
  }
}
