package dev.natter.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One raw HTTP exchange over a socket, read until the server closes: status, headers, body. */
record RawHttp(int status, Map<String, String> headers, String body) {

  /**
   * Sends a WebSocket upgrade to {@code /ws} with a bearer token (or none) and reads the answer.
   */
  static RawHttp upgrade(int port, String token) throws IOException {
    return exchange(
        port,
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n");
  }

  /** Sends {@code request} as is and reads the answer until the server closes the connection. */
  static RawHttp exchange(int port, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      String[] lines = all.substring(0, end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      return new RawHttp(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(end + 4));
    }
  }
}
