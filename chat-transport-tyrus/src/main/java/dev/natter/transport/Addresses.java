package dev.natter.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Client addresses as the per-address limits see them. */
final class Addresses {
  private Addresses() {}

  /**
   * Whether a peer address (an IP literal, as Grizzly reports it) is on the loopback interface:
   * this machine itself (administrators, benchmarks, a local reverse proxy). Per-address limits on
   * registrations and connections do not count such peers; global limits still do.
   */
  static boolean isLoopback(String address) {
    if (address == null || address.isEmpty()) {
      return false;
    }
    char c = address.charAt(0);
    if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '[')) {
      return false; // not a literal: never resolve names here
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  /** The address to count in per-address limits, or null when the peer is on loopback. */
  static String forLimits(String address) {
    return isLoopback(address) ? null : address;
  }
}
