package dev.natter.transport;

import dev.natter.core.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The server's meters, registered once in the server's registry (Prometheus or any other). */
final class ServerMetrics {
  private final MeterRegistry registry;
  final Counter framesIn;
  final Counter eventsOut;
  final Counter socketWrites;
  final Counter acks;
  final Counter malformedFrames;
  final Counter slowConsumerCloses;
  final Counter heartbeatTimeouts;
  final Counter endpointFailures;
  final Counter handshakesShed;
  private final Map<ErrorCode, Counter> wsErrors = new EnumMap<>(ErrorCode.class);
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();
  private final Map<String, Counter> httpResponses = new ConcurrentHashMap<>();
  private final Map<String, Timer> engineCalls = new ConcurrentHashMap<>();

  ServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    framesIn =
        Counter.builder("natter.messages.in")
            .description("text frames received from WebSocket clients")
            .register(registry);
    eventsOut =
        Counter.builder("natter.messages.out")
            .description("events queued to WebSocket clients")
            .register(registry);
    socketWrites =
        Counter.builder("natter.ws.writes")
            .description(
                "writes of WebSocket frames to sockets; one write carries several frames when they"
                    + " wait (messages.out over ws.writes: frames per write)")
            .register(registry);
    acks = Counter.builder("natter.acks").description("acks sent").register(registry);
    malformedFrames =
        Counter.builder("natter.frames.malformed")
            .description("frames that did not decode as a command")
            .register(registry);
    slowConsumerCloses =
        Counter.builder("natter.slow.consumer.closes")
            .description("connections closed as slow consumers: their outbound budget was full")
            .register(registry);
    heartbeatTimeouts =
        Counter.builder("natter.heartbeat.timeouts")
            .description("connections closed because nothing arrived within the heartbeat timeout")
            .register(registry);
    endpointFailures =
        Counter.builder("natter.ws.failures")
            .description("exceptions other than I/O that escaped to the WebSocket endpoint")
            .register(registry);
    handshakesShed =
        Counter.builder("natter.handshakes.shed")
            .description(
                "WebSocket handshakes refused with 503 because the handshake budget was spent")
            .register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      wsErrors.put(
          code,
          Counter.builder("natter.errors")
              .description("error events and error responses, by code")
              .tag("code", code.wireName())
              .register(registry));
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  /** Gauges of the open WebSockets: how many, and the bytes queued to them. */
  void watch(WsConnections sockets) {
    Gauge.builder("natter.connections", sockets, WsConnections::count)
        .description("open WebSocket connections")
        .register(registry);
    Gauge.builder("natter.outbound.inflight.bytes", sockets, WsConnections::outboundBytes)
        .description("bytes queued to WebSocket clients and not yet written")
        .baseUnit("bytes")
        .register(registry);
  }

  /** Times one engine call under {@code natter.engine.calls{op}}. */
  <T> T timed(String op, Supplier<T> call) {
    return engineCall(op).record(call);
  }

  void error(ErrorCode code) {
    wsErrors.get(code).increment();
  }

  void closed(int closeCode) {
    closes
        .computeIfAbsent(
            Integer.toString(closeCode),
            c ->
                Counter.builder("natter.ws.closes")
                    .description("WebSocket connections ended, by close code")
                    .tag("code", c)
                    .register(registry))
        .increment();
  }

  void httpResponse(int status) {
    httpResponses
        .computeIfAbsent(
            Integer.toString(status),
            s ->
                Counter.builder("natter.http.responses")
                    .description("HTTP API responses, by status")
                    .tag("status", s)
                    .register(registry))
        .increment();
  }

  /**
   * The timer of one engine operation (store latency included), by operation name: count, total and
   * max. No percentiles computed here: they cost each call about 4 us (three rotating histograms),
   * 2 % of the server's CPU at 4,000 DM sends a second, and percentiles of separate nodes cannot be
   * combined anyway.
   */
  Timer engineCall(String op) {
    return engineCalls.computeIfAbsent(
        op,
        o ->
            Timer.builder("natter.engine.calls")
                .description("time spent in engine calls (store included), by operation")
                .tag("op", o)
                .register(registry));
  }
}
