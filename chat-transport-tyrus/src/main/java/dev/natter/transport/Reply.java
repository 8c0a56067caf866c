package dev.natter.transport;

import java.util.ArrayList;
import java.util.List;

/** An HTTP answer: status, JSON body (or null for none) and extra headers. */
final class Reply {
  final int status;
  final String body;
  final List<String[]> headers = new ArrayList<>();

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

  Reply header(String name, String value) {
    headers.add(new String[] {name, value});
    return this;
  }
}
