package dev.natter.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the API's route table: a method, a path pattern under {@code /api} whose {@code
 * {name}} segments capture one path segment each, and the handler. An {@code offloaded} route
 * (register, login: password hashing) runs off the I/O threads.
 */
record Route(String method, List<String> pattern, Handler handler, boolean offloaded) {

  /** Answers one matched request. */
  @FunctionalInterface
  interface Handler {
    Reply handle(ApiCall call);
  }

  static Route get(String path, Handler handler) {
    return new Route("GET", split(path), handler, false);
  }

  static Route post(String path, Handler handler) {
    return new Route("POST", split(path), handler, false);
  }

  static Route put(String path, Handler handler) {
    return new Route("PUT", split(path), handler, false);
  }

  static Route delete(String path, Handler handler) {
    return new Route("DELETE", split(path), handler, false);
  }

  /** This route, run on the password workers instead of an I/O thread. */
  Route onPasswordWorkers() {
    return new Route(method, pattern, handler, true);
  }

  /**
   * The captured segments if {@code segments} (decoded, after {@code /api}) fit the pattern, else
   * null. A capture takes any one segment, an empty one too (the handler rejects it).
   */
  Map<String, String> match(List<String> segments) {
    if (segments.size() != pattern.size()) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.startsWith("{") && p.endsWith("}")) {
        params.put(p.substring(1, p.length() - 1), segments.get(i));
      } else if (!p.equals(segments.get(i))) {
        return null;
      }
    }
    return params;
  }

  private static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.substring(1).split("/")) {
      out.add(s);
    }
    return List.copyOf(out);
  }
}
