package dev.natter.cli.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One run of {@code natter bench}, resolved and checked by {@link BenchCommand}.
 *
 * @param connections idle: connections to hold
 * @param users idle: distinct users behind them (the connections are spread over them)
 * @param roomSize idle: members per room the users are grouped into (0: no rooms)
 * @param members fanout, slow-reader, history: members of the room
 * @param senders fanout, slow-reader: members that send, in turn
 * @param rate fanout, slow-reader: messages per second into the room; dm: messages per second over
 *     all pairs on a schedule, 0 for a closed loop
 * @param pairs dm: DM pairs
 * @param inFlight dm, history: requests each peer keeps in flight
 * @param historyMessages history: messages the room holds
 * @param serverPid the server's process id (local servers) for its memory and CPU; null: none
 * @param sourceAddresses how many 127.0.0.x addresses to connect from (0: chosen from the count)
 * @param receiversTarget fanout: where the members that do not send connect (another node), or null
 *     for {@code target}
 */
record BenchSpec(
    Target target,
    Protocol protocol,
    Workload workload,
    int connections,
    int users,
    int roomSize,
    int members,
    int senders,
    double rate,
    int pairs,
    int inFlight,
    int historyMessages,
    Duration warmup,
    Duration duration,
    Duration drain,
    Duration connectTimeout,
    Long serverPid,
    Path json,
    Path accounts,
    String userPrefix,
    int ioThreads,
    int sourceAddresses,
    boolean setupOnly,
    Target receiversTarget) {

  /** How many WebSocket connections the workload opens. */
  int plannedConnections() {
    return switch (workload) {
      case IDLE -> connections;
      case FANOUT, SLOW_READER, HISTORY -> members;
      case DM -> 2 * pairs;
    };
  }

  /** Deliveries per second the workload aims at (fan-out), or 0. */
  double targetDeliveryRate() {
    return switch (workload) {
      case FANOUT -> rate * members;
      case SLOW_READER -> rate * (members - 1);
      default -> 0;
    };
  }

  /** One line that says what runs. */
  String describe() {
    String what =
        switch (workload) {
          case IDLE ->
              connections
                  + " idle connections"
                  + (protocol == Protocol.NATTER
                      ? " of " + users + " users" + (roomSize > 0 ? " in rooms of " + roomSize : "")
                      : "");
          case FANOUT ->
              members
                  + " members, "
                  + Fmt.rate(rate)
                  + " messages/s from "
                  + senders
                  + " senders ("
                  + Fmt.rate(targetDeliveryRate())
                  + " deliveries/s)";
          case SLOW_READER ->
              members
                  + " members (one never reads), "
                  + Fmt.rate(rate)
                  + " messages/s from "
                  + senders
                  + " senders";
          case DM ->
              pairs
                  + " DM pairs, "
                  + (rate > 0
                      ? Fmt.rate(rate) + " messages/s on a schedule"
                      : inFlight + " in flight per sender");
          case HISTORY ->
              members
                  + " members paging "
                  + historyMessages
                  + " messages, "
                  + inFlight
                  + " in flight each";
        };
    return workload.cliName()
        + " on "
        + protocol.name().toLowerCase(java.util.Locale.ROOT)
        + " at "
        + target.base()
        + ": "
        + what;
  }
}
