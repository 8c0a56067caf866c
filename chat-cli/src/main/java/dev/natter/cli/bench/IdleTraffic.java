package dev.natter.cli.bench;

/** No load: the connections are held (the workload that measures memory per connection). */
final class IdleTraffic extends Traffic {
  IdleTraffic(Meters meters, BenchClock clock) {
    super(meters, clock);
  }

  @Override
  void start(long stopAt) {
    this.stopAt = stopAt;
  }

  @Override
  LatencyMeter primary() {
    return null;
  }
}
