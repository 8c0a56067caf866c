package dev.natter.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The byte-level parsing of the three wires, and the small parsers around them. */
class WireParsingTest {
  /** Records what a wire reports. */
  static final class Events implements PeerEvents {
    final List<String> seen = new ArrayList<>();

    @Override
    public void delivered(Peer peer, long intended, long now) {
      seen.add("delivered " + intended);
    }

    @Override
    public void acked(Peer peer, long intended, long now) {
      seen.add("acked " + intended);
    }

    @Override
    public void failed(Peer peer, long intended, String code, long now) {
      seen.add("failed " + intended + " " + code);
    }

    @Override
    public void page(Peer peer, long intended, long oldestSeq, boolean hasMore, long now) {
      seen.add("page " + intended + " " + oldestSeq + " " + hasMore);
    }
  }

  private static void feed(Wire wire, String frame) {
    byte[] a = ("junk" + frame + "junk").getBytes(StandardCharsets.UTF_8);
    wire.text(null, a, 4, a.length - 4, 0);
  }

  @Test
  void natterFramesAreToldApartByTheirType() {
    Events e = new Events();
    NatterWire wire = new NatterWire(e);
    feed(
        wire,
        "{\"type\":\"message\",\"room\":\"r1\",\"seq\":7,\"sender\":{\"id\":\"u\"},\"body\":\""
            + Marker.body(123456789)
            + "\",\"ts\":\"2026-01-01T00:00:00Z\"}");
    feed(
        wire,
        "{\"type\":\"ack\",\"id\":\"42\",\"clientMsgId\":\"b1-0-1\",\"room\":\"r1\",\"seq\":8,\"messageId\":\"m\"}");
    feed(
        wire,
        "{\"type\":\"history\",\"id\":\"77\",\"room\":\"r1\",\"messages\":[{\"room\":\"r1\",\"seq\":51,\"body\":\"x\"},{\"seq\":52}],\"hasMore\":true}");
    feed(
        wire,
        "{\"type\":\"history\",\"id\":\"78\",\"room\":\"r1\",\"messages\":[],\"hasMore\":false}");
    feed(
        wire,
        "{\"type\":\"error\",\"id\":\"99\",\"code\":\"rate_limited\",\"message\":\"slow down\"}");
    feed(wire, "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"?\"}");
    feed(wire, "{\"type\":\"presence\",\"user\":{\"id\":\"u\"},\"status\":\"online\"}");
    feed(wire, "{\"type\":\"message\",\"body\":\"someone else's \\\"type\\\":\\\"ack\\\"\"}");

    assertThat(e.seen)
        .containsExactly(
            "delivered 123456789",
            "acked 42",
            "page 77 51 true",
            "page 78 -1 false",
            "failed 99 rate_limited",
            "failed -1 bad_request");
  }

  @Test
  void relayAndSocketIoFindTheMark() {
    Events e = new Events();
    feed(new RelayWire(e), Marker.of(5) + " s=3" + Marker.FILLER);
    feed(new RelayWire(e), "no mark here");
    feed(new SocketIoWire(e), "42[\"msg\",{\"s\":1,\"b\":\"" + Marker.body(9) + "\"}]");
    feed(new SocketIoWire(e), "44{\"message\":\"nope\"}");
    assertThat(e.seen)
        .containsExactly("delivered 5", "delivered 9", "failed -1 socket.io connect_error");
  }

  @Test
  void natterRequestsCarryTheirIntendedTime() {
    Peer peer =
        new Peer(3, new Peer.Plan("t", "room1", true), "run", new NatterWire(new Events()), null);
    String send = new String(peer.message(1234), StandardCharsets.UTF_8);
    assertThat(send)
        .startsWith(
            "{\"type\":\"send\",\"id\":\"1234\",\"room\":\"room1\",\"clientMsgId\":\"brun-3-1\"")
        .contains("\"body\":\"~nb1234~ hello");
    assertThat(new String(NatterWire.history(peer, 51L, 77), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"history\",\"id\":\"77\",\"room\":\"room1\",\"limit\":50,\"before\":51}");
  }

  @Test
  void heapInfoOfEachCollector() {
    String g1 =
        " garbage-first heap   total 262144K, used 23456K [0x00000000f0000000, 0x0000000100000000)\n"
            + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n"
            + " Metaspace       used 20311K, committed 20608K, reserved 1069056K\n"
            + "  class space    used 2209K, committed 2368K, reserved 1048576K\n";
    assertThat(ServerProbe.heapUsedKib(g1)).isEqualTo(23456L);
    String parallel =
        " PSYoungGen      total 76288K, used 3932K [0x...)\n"
            + "  eden space 65536K, 6% used [0x...)\n"
            + " ParOldGen       total 175104K, used 1000K [0x...)\n"
            + " Metaspace       used 20311K, committed 20608K, reserved 1069056K\n";
    assertThat(ServerProbe.heapUsedKib(parallel)).isEqualTo(4932L);
    assertThat(
            ServerProbe.heapUsedKib(
                " ZHeap           used 12M, capacity 128M, max capacity 1024M\n"))
        .isEqualTo(12L * 1024);
    assertThat(ServerProbe.heapUsedKib("1234:\nsomething else\n")).isNull();
  }

  @Test
  void durationsAndWorkloadNames() {
    DurationConverter d = new DurationConverter();
    assertThat(d.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(d.convert("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> d.convert("soon")).isInstanceOf(TypeConversionException.class);
    assertThat(Workload.parse("slow-reader")).isEqualTo(Workload.SLOW_READER);
    assertThat(Workload.parse("DM")).isEqualTo(Workload.DM);
  }
}
