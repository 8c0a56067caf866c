package dev.natter.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP answer: status, JSON body (or null for none) and extra headers; or, for files, a body of
 * another type written by a {@link Stream}.
 */
final class Reply {
  final int status;
  final String body;
  final List<String[]> headers = new ArrayList<>();
  String streamType;
  long streamLength = -1;
  Stream stream;

  /** Writes a non-JSON body. */
  @FunctionalInterface
  interface Stream {
    void writeTo(OutputStream out) throws IOException;
  }

  Reply(int status, String body) {
    this.status = status;
    this.body = body;
  }

  static Reply ok(String json) {
    return new Reply(200, json);
  }

  static Reply noContent() {
    return new Reply(204, null);
  }

  /** A body of {@code type} and {@code length} bytes, written by {@code stream}. */
  static Reply stream(int status, String type, long length, Stream stream) {
    Reply r = new Reply(status, null);
    r.streamType = type;
    r.streamLength = length;
    r.stream = stream;
    return r;
  }

  Reply header(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }

  boolean hasHeader(String name) {
    for (String[] h : headers) {
      if (h[0].equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
