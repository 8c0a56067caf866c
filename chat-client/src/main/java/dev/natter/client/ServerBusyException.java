package dev.natter.client;

import java.io.IOException;

/**
 * The server refused the WebSocket handshake with 503: it is opening too many connections at once
 * (a reconnect storm) and asks to come back shortly. Always worth retrying, even on a first
 * connect.
 */
final class ServerBusyException extends IOException {
  private static final long serialVersionUID = 1L;

  ServerBusyException(String message, Throwable cause) {
    super(message, cause);
  }
}
