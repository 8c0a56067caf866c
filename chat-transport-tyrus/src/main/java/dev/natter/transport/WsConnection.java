package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ConnectedClient;
import dev.natter.core.Text;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.Connection;
import dev.natter.core.spi.DeliveryBatch;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueEnabledTransport;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.memory.ByteBufferWrapper;
import org.glassfish.grizzly.nio.NIOConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket as the engine sees it. {@link #send} never blocks: it encodes the event into a
 * complete WebSocket frame (once per event instance and thread, since the engine sends one instance
 * to many connections: every recipient gets the same bytes), counts the frame's bytes as in flight,
 * and writes it on the Grizzly connection under Tyrus, bypassing Tyrus's per-message framing, UTF-8
 * encoding and send timeout (Tyrus keeps the handshake, reading, pings and the close). At most one
 * write per connection is in Grizzly's queue: frames that arrive meanwhile wait in the connection's
 * {@link Outbox} (where a newer presence or typing frame replaces an older one of the same user)
 * and leave together, as one write, when it completes. The bytes are released when their write
 * completes or fails. When the in-flight bytes would pass the budget, {@code send} returns false
 * and the engine closes the connection with {@link CloseCode#SLOW_CONSUMER}.
 */
final class WsConnection implements Connection {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  private static final byte[] PING_FRAME = {(byte) 0x89, 0}; // FIN + ping, no payload

  /** The last event this thread encoded: fan-out sends one instance to many connections. */
  private static final ThreadLocal<Encoded> LAST = new ThreadLocal<>();

  private record Encoded(ServerEvent event, byte[] frame) {}

  private final String id;
  private final Session session;
  private final org.glassfish.grizzly.Connection<?> socket;

  @SuppressWarnings("rawtypes")
  private final AsyncQueueWriter queue;

  private final JsonCodec codec;
  private final ServerMetrics metrics;
  private final ScheduledExecutorService timers;
  private final long budgetBytes;
  private final long abortAfterMs;
  private final FlushLanes.Lane lane;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();

  // guarded by this: frames waiting behind the write in flight, and whether one is in flight
  private final Outbox outbox = new Outbox();
  private boolean writing;
  private boolean inBatch; // frames wait for the end of a delivery batch; nothing in flight
  // nothing more is written: the socket failed, or the close frame is on its way
  private boolean stopped;
  private CloseReason closeWhenWritten;
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile int sentCloseCode; // 0 until the server sends its close frame
  private volatile ConnectedClient client;

  WsConnection(
      String id,
      Session session,
      org.glassfish.grizzly.Connection<?> socket,
      JsonCodec codec,
      ServerMetrics metrics,
      ScheduledExecutorService timers,
      long budgetBytes,
      long abortAfterMs,
      FlushLanes.Lane lane) {
    this.id = id;
    this.session = session;
    this.socket = socket;
    this.queue = writeQueueOf(socket);
    this.codec = codec;
    this.metrics = metrics;
    this.timers = timers;
    this.budgetBytes = budgetBytes;
    this.abortAfterMs = abortAfterMs;
    this.lane = lane;
  }

  @Override
  public String id() {
    return id;
  }

  org.glassfish.grizzly.Connection<?> socket() {
    return socket;
  }

  void attach(ConnectedClient client) {
    this.client = client;
  }

  ConnectedClient client() {
    return client;
  }

  long inFlightBytes() {
    return inFlight.get();
  }

  /** Something (a frame or a pong) arrived from the peer. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  long silentForMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
  }

  boolean isClosing() {
    return closing.get();
  }

  /**
   * Why the connection ended: the code of the close frame the server sent, or else the code Tyrus
   * reports (the peer's, or 1001/1006 for a connection that ended without a close frame).
   */
  int closeCode(CloseReason ended) {
    int sent = sentCloseCode;
    return sent != 0 ? sent : ended.getCloseCode().getCode();
  }

  @Override
  public boolean send(ServerEvent event) {
    if (closing.get()) {
      return true; // going away anyway; the engine need not close it again
    }
    byte[] frame;
    try {
      frame = encode(event).frame();
    } catch (Throwable unencodable) {
      if (unencodable instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      LOG.warn("dropped an event that cannot be encoded on {}", id, unencodable);
      return true; // nothing was reserved; the connection goes on (sync fills any gap)
    }
    if (!enqueue(frame, coalescingKey(event))) {
      metrics.slowConsumerCloses.increment();
      return false;
    }
    metrics.eventsOut.increment();
    if (event instanceof ServerEvent.Ack) {
      metrics.acks.increment();
    } else if (event instanceof ServerEvent.Error err) {
      metrics.error(err.code());
    }
    return true;
  }

  /**
   * Counts a frame's bytes as in flight and writes it now, or queues it behind the write in flight,
   * the delivery batch or the lane. Nothing is written after the close frame.
   *
   * @return false when the frame would take the bytes in flight over the budget (nothing queued)
   */
  private boolean enqueue(byte[] frame, Object coalescingKey) {
    int bytes = frame.length;
    long after = inFlight.addAndGet(bytes);
    if (after > budgetBytes && after > bytes) {
      // over budget, and not merely one event bigger than the whole budget on an idle connection
      inFlight.addAndGet(-bytes);
      return false;
    }
    DeliveryBatch batch = DeliveryBatch.current();
    Step step;
    synchronized (this) {
      if (stopped) {
        inFlight.addAndGet(-bytes);
        return true; // the socket is ending (onClose tells the engine)
      }
      step = nextStep(batch, bytes);
      if (step != Step.WRITE_FRAME) {
        int replaced = outbox.add(frame, coalescingKey);
        if (replaced > 0) {
          inFlight.addAndGet(-replaced);
        }
      }
    }
    switch (step) {
      case WRITE_FRAME -> write(frame);
      case JOIN_BATCH -> batch.atEnd(this::endOfBatch); // the batch's next frames join the write
      case HAND_TO_LANE -> lane.schedule(this);
      case WRITE_WAITING -> written();
      case WAIT -> {}
    }
    return true;
  }

  /**
   * Frames that a newer one may replace while they wait: a user's presence, a user's typing in a
   * room (only the latest state matters to the reader).
   */
  private static Object coalescingKey(ServerEvent event) {
    if (event instanceof ServerEvent.PresenceEvent p) {
      return new PresenceKey(p.presence().user().id());
    }
    if (event instanceof ServerEvent.TypingEvent t) {
      return new TypingKey(t.room(), t.user().id());
    }
    return null;
  }

  private record PresenceKey(String userId) {}

  private record TypingKey(String room, String userId) {}

  /**
   * Queues bytes (one frame or several) on the Grizzly connection, the only write of this
   * connection in flight (its write queue keeps Tyrus's own frames in order too); the array may be
   * shared with other recipients and is never changed. A write that fails at once drops what waits:
   * the socket is ending.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private void write(byte[] bytes) {
    org.glassfish.grizzly.Connection raw = socket;
    try {
      // a plain wrapper: the memory manager's wrap looks up a thread cache, which on the store's
      // completer thread (not a Grizzly thread) cost more than the rest of the write
      ByteBufferWrapper buffer = new ByteBufferWrapper(ByteBuffer.wrap(bytes));
      metrics.socketWrites.increment();
      if (queue != null) {
        queue.write(raw, buffer, new Written(bytes.length));
      } else {
        raw.write(buffer, new Written(bytes.length));
      }
    } catch (Throwable failed) {
      // a closing socket (RuntimeException) or anything else: either way the reserved bytes are
      // released, or the budget would leak into a 4008
      inFlight.addAndGet(-bytes.length);
      stopWriting();
      if (failed instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      if (!(failed instanceof RuntimeException)) {
        LOG.warn("dropped events that could not be written on {}", id, failed);
      }
    }
  }

  /** What {@link #send} does with a frame, decided under the lock. */
  private enum Step {
    /** Nothing waits and nothing is in flight: write it now, on this thread. */
    WRITE_FRAME,
    /** Queue it; the write in flight, the lane or the batch takes it with the others. */
    WAIT,
    /** Queue it and have the delivery batch write what waits at its end. */
    JOIN_BATCH,
    /** Queue it and have the lane write what waits. */
    HAND_TO_LANE,
    /** Queue it and write what waits now: the batch's frames filled one write. */
    WRITE_WAITING
  }

  /** Under the lock: where a frame of {@code bytes} goes, and the state that follows. */
  private Step nextStep(DeliveryBatch batch, int bytes) {
    if (writing) {
      return Step.WAIT;
    }
    if (batch != null && outbox.bytes() + bytes <= Outbox.MAX_WRITE_BYTES) {
      if (inBatch) {
        return Step.WAIT;
      }
      inBatch = true;
      return Step.JOIN_BATCH;
    }
    boolean waiting = inBatch;
    inBatch = false; // a batch that ends finds the frames written already
    writing = true;
    if (lane != null) {
      return Step.HAND_TO_LANE;
    }
    return waiting ? Step.WRITE_WAITING : Step.WRITE_FRAME;
  }

  /** The delivery batch is over: what it left waiting leaves in one write, on my lane if any. */
  private void endOfBatch() {
    synchronized (this) {
      if (!inBatch) {
        return; // already written: the batch filled a write before it ended
      }
      inBatch = false;
      if (writing) {
        return; // cannot happen while inBatch, but never two writes in flight
      }
      writing = true;
    }
    if (lane != null) {
      lane.schedule(this);
    } else {
      written();
    }
  }

  /** On its lane: writes what waits (the lane's thread does the syscall, not the deliverer). */
  void flushWaiting() {
    written();
  }

  /** The write in flight is done: the next one carries everything that waits, else none is left. */
  private void written() {
    byte[] next;
    CloseReason close = null;
    synchronized (this) {
      next = stopped ? null : outbox.take();
      if (next == null) {
        writing = false;
        close = closeWhenWritten;
        closeWhenWritten = null;
      }
    }
    if (next != null) {
      write(next);
    } else if (close != null) {
      closeSession(close);
    }
  }

  /** Nothing more is written: what waits is dropped and its bytes given back to the budget. */
  private void stopWriting() {
    int dropped;
    synchronized (this) {
      stopped = true;
      dropped = outbox.bytes();
      outbox.clear();
    }
    inFlight.addAndGet(-dropped);
  }

  /**
   * The transport's write queue, where the filter chain's last filter would put the frame: the
   * filters in between (HTTP codec, upgrade gate, Tyrus) pass a WebSocket frame through unchanged
   * and cost most of a write, so it goes there directly. Valid because the listener has no TLS
   * filter (Natter serves plain HTTP; TLS ends in front of it); null when the transport has no such
   * queue, and then the frame goes through the chain.
   */
  @SuppressWarnings("rawtypes")
  private static AsyncQueueWriter writeQueueOf(org.glassfish.grizzly.Connection<?> socket) {
    return socket != null && socket.getTransport() instanceof AsyncQueueEnabledTransport t
        ? t.getAsyncQueueIO().getWriter()
        : null;
  }

  /** Gives a write's bytes back to the budget once Grizzly is done with it, then writes on. */
  @SuppressWarnings("rawtypes")
  private final class Written extends EmptyCompletionHandler<WriteResult> {
    private final int bytes;

    Written(int bytes) {
      this.bytes = bytes;
    }

    @Override
    public void completed(WriteResult result) {
      inFlight.addAndGet(-bytes);
      written();
    }

    @Override
    public void failed(Throwable error) {
      inFlight.addAndGet(-bytes);
      LOG.debug("send failed on {}", id, error);
      stopWriting();
    }

    @Override
    public void cancelled() {
      inFlight.addAndGet(-bytes);
      stopWriting();
    }
  }

  private Encoded encode(ServerEvent event) {
    Encoded last = LAST.get();
    if (last != null && last.event() == event) {
      return last;
    }
    // UTF-8 cannot carry a lone surrogate: cleaned here too, whatever reached the event
    Encoded e = new Encoded(event, TextFrames.encode(Text.sanitize(codec.encode(event))));
    LAST.set(e);
    return e;
  }

  /**
   * Sends a ping (an empty one, as a server sends it), in order with the events: never after the
   * close frame. The peer's pong (or any frame) keeps the connection alive. A peer so far behind
   * that even a ping passes its budget gets none: the heartbeat ends it if it stays silent.
   */
  void ping() {
    if (!closing.get()) {
      enqueue(PING_FRAME, null);
    }
  }

  @Override
  public void close(CloseCode code) {
    close(code, code.reason());
  }

  /**
   * Starts the closing handshake with a reason of our own: the close frame leaves after the frames
   * that wait (as a queued close frame would), then the connection lingers (see {@link
   * #lingerAfter}). A peer that does not read never sees the close frame, so the socket is cut
   * after a grace period either way.
   */
  void close(CloseCode code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    CloseReason why = new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), reason);
    boolean now;
    synchronized (this) {
      now = !(writing || inBatch) || stopped;
      if (!now) {
        closeWhenWritten = why;
      }
    }
    if (now) {
      closeSession(why);
    }
    abortLater();
  }

  /**
   * Closes after a frame the server refused on its header (too large, unmasked), while the peer may
   * still be sending it: the close frame goes out at once, ahead of anything that waits.
   */
  void refuseAndLinger(CloseCode code, String reason) {
    if (!closing.compareAndSet(false, true) || socket == null) {
      return;
    }
    lingerAfter(closeFrame(code.code(), reason));
    abortLater();
  }

  private void closeSession(CloseReason why) {
    if (socket == null) {
      try {
        session.close(why);
      } catch (IOException | RuntimeException e) {
        LOG.debug("close failed on {}", id, e);
      }
      return;
    }
    lingerAfter(closeFrame(why.getCloseCode().getCode(), why.getReasonPhrase()));
  }

  /**
   * Writes the close frame, then ends the output (TCP FIN) so the peer reads the close frame before
   * anything else; what the peer still sends (commands already on their way, its own close frame)
   * is read and discarded until it closes, or until the grace period cuts the connection. Closing
   * at once with the peer's bytes unread would reset the connection, and the peer could lose the
   * close frame and see 1006 instead of the reason (a flooding client, for one). Tyrus hears of the
   * end when the TCP connection ends, and the endpoint's close handling runs as for any close.
   */
  private void lingerAfter(byte[] closeFrame) {
    // nothing follows the close frame: not what waits, nor a frame that passed send's check
    stopWriting();
    sentCloseCode = ((closeFrame[2] & 0xFF) << 8) | (closeFrame[3] & 0xFF);
    UpgradeGate.discardInput(socket);
    @SuppressWarnings({"rawtypes", "unchecked"}) // Grizzly's write is typed by the connection's
    org.glassfish.grizzly.Connection raw = socket; // address, which a close frame does not care for
    try {
      raw.write(
          new ByteBufferWrapper(ByteBuffer.wrap(closeFrame)),
          new EmptyCompletionHandler<WriteResult>() {
            @Override
            public void completed(WriteResult result) {
              shutdownOutput();
            }
          });
    } catch (RuntimeException gone) {
      LOG.debug("close frame not written on {}", id, gone);
    }
  }

  /** A close frame (unmasked, as a server sends it) with the code and at most 123 bytes of text. */
  static byte[] closeFrame(int code, String reason) {
    byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
    int len = Math.min(text.length, 123);
    while (len < text.length && (text[len] & 0xC0) == 0x80) {
      len--; // never cut a character in two: the peer would fail the close as invalid UTF-8
    }
    byte[] frame = new byte[4 + len];
    frame[0] = (byte) 0x88; // FIN + close
    frame[1] = (byte) (2 + len);
    frame[2] = (byte) (code >> 8);
    frame[3] = (byte) code;
    System.arraycopy(text, 0, frame, 4, len);
    return frame;
  }

  private void abortLater() {
    try {
      timers.schedule(this::abort, abortAfterMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException shuttingDown) {
      abort();
    }
  }

  private void shutdownOutput() {
    if (socket instanceof NIOConnection nio && nio.getChannel() instanceof SocketChannel channel) {
      try {
        channel.shutdownOutput();
      } catch (IOException e) {
        LOG.debug("shutdownOutput failed on {}", id, e);
      }
    }
  }

  /** Whether nothing is left in the connection's write queue (or it is gone already). */
  boolean flushed() {
    synchronized (this) {
      if ((writing || inBatch) && !stopped) {
        return false;
      }
    }
    return !(socket instanceof NIOConnection nio)
        || !nio.isOpen()
        || nio.getAsyncWriteQueue().isEmpty();
  }

  /** Cuts the TCP connection without waiting for queued writes. */
  void abort() {
    if (socket != null && socket.isOpen()) {
      socket.terminateSilently();
    }
  }
}
