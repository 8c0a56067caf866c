package dev.natter.cli.serve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code natter serve} needs beyond one node's settings: the store and bus that several nodes
 * share, this node's id, and where to write the bound port.
 *
 * @param storeUrl a PostgreSQL URL, or null for SQLite in the data directory
 * @param busUrl a Redis URL, or null for the in-process bus (one node)
 * @param busPrefix the prefix of the bus's channel and keys, or null for the default ({@code
 *     natter:}); clusters that share a Redis use different ones
 * @param nodeId this node's id on the bus, or null for a random one
 * @param presenceTtl how long a stopped node's users still count as online, or null for the bus's
 *     default
 * @param portFile a file to write the bound port to once listening, or null
 */
public record ClusterSettings(
    String storeUrl,
    String busUrl,
    String busPrefix,
    String nodeId,
    Duration presenceTtl,
    Path portFile) {

  /** One node on SQLite, no port file. */
  public static ClusterSettings none() {
    return new ClusterSettings(null, null, null, null, null, null);
  }
}
