package dev.natter.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Who connects in a run: one plan per connection, in order (senders first; a slow reader last),
 * with what the workload needs to know about them.
 *
 * @param senders how many of the first peers send (fan-out)
 * @param historyFill messages the history room lacks
 * @param users distinct users behind the connections (0: anonymous peers)
 */
record Population(List<Peer.Plan> plans, int senders, long historyFill, int users) {
  Population {
    plans = List.copyOf(plans);
  }

  /** Peers without accounts, for relays and Socket.IO: a slow reader is the last one. */
  static Population anonymous(BenchSpec spec) {
    int n = spec.plannedConnections();
    List<Peer.Plan> plans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean slow = spec.workload() == Workload.SLOW_READER && i == n - 1;
      plans.add(new Peer.Plan(null, null, !slow));
    }
    return new Population(plans, spec.senders(), 0, 0);
  }
}
