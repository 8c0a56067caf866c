package dev.natter.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The Natter protocol (docs/protocol.md) as far as the load needs it. Requests carry their intended
 * send time as their {@code id}, so answers ({@code ack}, {@code history}, {@code error}) are timed
 * without a lookup; {@code message} events are timed by the mark in their body. Frames are told
 * apart by their {@code "type":"...} bytes; only the rare {@code error} is parsed whole.
 */
final class NatterWire implements Wire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] TYPE = Bytes.ascii("\"type\":\"");
  private static final byte[] MESSAGE = Bytes.ascii("message\"");
  private static final byte[] ACK = Bytes.ascii("ack\"");
  private static final byte[] HISTORY = Bytes.ascii("history\"");
  private static final byte[] READY = Bytes.ascii("ready\"");
  private static final byte[] ERROR = Bytes.ascii("error\"");
  private static final byte[] ID = Bytes.ascii("\"id\":\"");
  private static final byte[] MESSAGES = Bytes.ascii("\"messages\":[");
  private static final byte[] SEQ = Bytes.ascii("\"seq\":");
  private static final byte[] HAS_MORE = Bytes.ascii("\"hasMore\":true");

  /** Messages per history page the load asks for. */
  static final int PAGE = 50;

  private final PeerEvents events;

  NatterWire(PeerEvents events) {
    this.events = events;
  }

  @Override
  public String path() {
    return "/ws";
  }

  @Override
  public void opened(Peer peer) {
    // ready comes as the first frame
  }

  @Override
  public void text(Peer peer, byte[] a, int from, int to, long now) {
    int t = Bytes.after(a, from, to, TYPE);
    if (t < 0) {
      return;
    }
    if (Bytes.startsWith(a, t, to, MESSAGE)) {
      long intended = Marker.find(a, t, to);
      if (intended >= 0) {
        events.delivered(peer, intended, now);
      }
    } else if (Bytes.startsWith(a, t, to, ACK)) {
      events.acked(peer, id(a, from, to), now);
    } else if (Bytes.startsWith(a, t, to, HISTORY)) {
      int messages = Bytes.after(a, from, to, MESSAGES);
      int seq = messages < 0 ? -1 : Bytes.after(a, messages, to, SEQ);
      long oldest = seq < 0 ? -1 : Bytes.digits(a, seq, to);
      boolean more = Bytes.indexOf(a, from, to, HAS_MORE) >= 0;
      events.page(peer, id(a, from, to), oldest, more, now);
    } else if (Bytes.startsWith(a, t, to, READY)) {
      peer.ready();
    } else if (Bytes.startsWith(a, t, to, ERROR)) {
      error(peer, new String(a, from, to - from, StandardCharsets.UTF_8), now);
    }
  }

  private void error(Peer peer, String frame, long now) {
    String code = "error";
    long intended = -1;
    try {
      JsonNode n = JSON.readTree(frame);
      code = n.path("code").asText(code);
      String id = n.path("id").asText("");
      intended = id.chars().allMatch(Character::isDigit) && !id.isEmpty() ? Long.parseLong(id) : -1;
    } catch (IOException | NumberFormatException e) {
      // counted under "error"
    }
    events.failed(peer, intended, code, now);
  }

  private static long id(byte[] a, int from, int to) {
    int at = Bytes.after(a, from, to, ID);
    return at < 0 ? -1 : Bytes.digits(a, at, to);
  }

  @Override
  public byte[] message(Peer peer, long intended) {
    return ("{\"type\":\"send\",\"id\":\""
            + intended
            + "\",\"room\":\""
            + peer.room()
            + "\",\"clientMsgId\":\""
            + peer.nextClientMsgId()
            + "\",\"body\":\""
            + Marker.body(intended)
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A {@code history} request for the page before {@code before} (the newest when null). */
  static byte[] history(Peer peer, Long before, long intended) {
    return ("{\"type\":\"history\",\"id\":\""
            + intended
            + "\",\"room\":\""
            + peer.room()
            + "\",\"limit\":"
            + PAGE
            + (before == null ? "" : ",\"before\":" + before)
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
