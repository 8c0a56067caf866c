package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatEngine;

/**
 * What the WebSocket endpoint needs from the server.
 *
 * @param engine attaches connections and executes their commands
 * @param codec decodes commands (events are encoded by the connections)
 * @param metrics frame counters and engine-call timers
 * @param gate hands over the accepted upgrades
 * @param sockets creates and tracks the connections
 * @param maxFrameBytes the largest text message a client may send
 */
record EndpointContext(
    ChatEngine engine,
    JsonCodec codec,
    ServerMetrics metrics,
    UpgradeGate gate,
    WsConnections sockets,
    int maxFrameBytes) {}
