package dev.natter.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.cli.CliRunner;
import dev.natter.cli.TestServer;
import dev.natter.cli.serve.RunningServer;
import dev.natter.cli.serve.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code natter bench} against a real server on a free port, with tiny numbers. Functional only:
 * nothing here depends on how fast the machine is.
 */
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static RunningServer server;

  @BeforeAll
  static void startServer() {
    server =
        RunningServer.start(
            new ServerSettings(
                "127.0.0.1",
                0,
                tmp.resolve("data"),
                List.of(),
                null,
                1_000_000,
                Duration.ofSeconds(1),
                1_000_000,
                Duration.ofSeconds(1),
                false),
            TestServer.FAST_HASHER);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static CliRunner.Result bench(String... args) {
    List<String> all = new ArrayList<>(List.of("bench", "--server", server.uri().toString()));
    all.addAll(List.of("--warmup", "1s", "--duration", "2s", "--drain", "3s"));
    all.addAll(List.of(args));
    return new CliRunner(tmp.resolve("home")).run(all.toArray(String[]::new));
  }

  @Test
  void fanOutCreatesUsersDeliversAndReportsEveryFigure() throws Exception {
    Path json = tmp.resolve("fanout.json");
    Path accounts = tmp.resolve("accounts.json");
    CliRunner.Result r =
        bench(
            "--workload",
            "fanout",
            "--members",
            "5",
            "--rate",
            "5",
            "--accounts",
            accounts.toString(),
            "--json",
            json.toString(),
            "--server-pid",
            Long.toString(ProcessHandle.current().pid()));

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("natter bench: fanout on natter")
        .contains("| connections held")
        .contains("| deliveries")
        .contains("| not delivered within the run")
        .contains("| delivery latency p50 / p99 / p99.9 / max")
        .contains("| server RSS");
    assertThat(r.err()).contains("bench: "); // progress lines

    JsonNode result = JSON.readTree(json.toFile());
    assertThat(result.path("workload").asText()).isEqualTo("fanout");
    assertThat(result.path("connections").asInt()).isEqualTo(5);
    assertThat(result.path("connectionsHeld").asInt()).isEqualTo(5);
    assertThat(result.path("deliveries").asLong()).isPositive();
    assertThat(result.path("expectedDeliveries").asLong()).isPositive();
    assertThat(result.has("notDelivered")).isTrue();
    for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
      assertThat(result.path("latency").has(p)).as(p).isTrue();
    }
    assertThat(result.path("acks").asLong()).isPositive();
    assertThat(result.path("serverProcess").path("rssAfterKib").asLong()).isPositive();
    assertThat(result.path("errors").isEmpty()).isTrue();

    JsonNode book = JSON.readTree(accounts.toFile());
    assertThat(book.path("users")).hasSize(5);
    NatterApi api = new NatterApi(server.uri());
    for (JsonNode u : book.path("users")) {
      assertThat(u.path("username").asText()).startsWith("bench-");
      assertThat(api.signedIn(u.path("token").asText())).isTrue();
    }

    // a second run reuses the saved users and their room
    CliRunner.Result again =
        bench("--members", "5", "--rate", "5", "--accounts", accounts.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    JsonNode after = JSON.readTree(accounts.toFile());
    assertThat(after.path("users")).isEqualTo(book.path("users"));
    assertThat(after.path("rooms")).isEqualTo(book.path("rooms"));
  }

  @Test
  void dmPairsReportAcks() throws Exception {
    Path json = tmp.resolve("dm.json");
    CliRunner.Result r =
        bench("--workload", "dm", "--pairs", "2", "--in-flight", "2", "--json", json.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("| acks").contains("| ack latency");
    JsonNode result = JSON.readTree(json.toFile());
    assertThat(result.path("connections").asInt()).isEqualTo(4);
    assertThat(result.path("acks").asLong()).isPositive();
    assertThat(result.path("ackLatency").path("count").asLong()).isPositive();
    assertThat(result.path("deliveries").asLong()).isPositive();
  }

  @Test
  void dmPairsOnAScheduleSendAtTheRateAndDeliverToBothMembers() throws Exception {
    Path json = tmp.resolve("dm-paced.json");
    CliRunner.Result r =
        bench("--workload", "dm", "--pairs", "2", "--rate", "40", "--json", json.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("40 messages/s on a schedule").contains("| ack latency");
    JsonNode result = JSON.readTree(json.toFile());
    long sent = result.path("sent").asLong();
    assertThat(result.path("sentPerSecond").asDouble()).isCloseTo(40.0, within(1.0));
    assertThat(result.path("expectedDeliveries").asLong()).isEqualTo(2 * sent);
    assertThat(result.path("notDelivered").asLong()).isZero();
    assertThat(result.path("ackLatency").path("count").asLong()).isEqualTo(sent);
  }

  @Test
  void historyPagesAFilledRoom() throws Exception {
    Path json = tmp.resolve("history.json");
    CliRunner.Result r =
        bench(
            "--workload",
            "history",
            "--members",
            "2",
            "--history-messages",
            "120",
            "--json",
            json.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode result = JSON.readTree(json.toFile());
    assertThat(result.path("pages").asLong()).isPositive();
    assertThat(result.path("pageLatency").path("p99").isNumber()).isTrue();
    assertThat(result.has("deliveries")).isFalse();
  }

  @Test
  void idleHoldsConnectionsFromTwoAddressesAndSlowReaderReportsItsReader() throws Exception {
    CliRunner.Result idle =
        bench(
            "--workload", "idle", "--connections", "6", "--users", "3", "--source-addresses", "2");
    assertThat(idle.exitCode()).as(idle.toString()).isZero();
    assertThat(idle.out()).contains("| connections held").contains("6 of 6, 3 users");

    CliRunner.Result slow = bench("--workload", "slow-reader", "--members", "4", "--rate", "4");
    assertThat(slow.exitCode()).as(slow.toString()).isZero();
    assertThat(slow.out()).contains("| the client that never reads");
  }

  @Test
  void usageErrorsAreExplained() {
    CliRunner cli = new CliRunner(tmp.resolve("home"));
    CliRunner.Result dmOnRelay = cli.run("bench", "--protocol", "relay", "--workload", "dm");
    assertThat(dmOnRelay.exitCode()).isEqualTo(2);
    assertThat(dmOnRelay.err()).contains("needs --protocol natter");

    CliRunner.Result dmDeliveryRate =
        cli.run("bench", "--workload", "dm", "--delivery-rate", "100");
    assertThat(dmDeliveryRate.exitCode()).isEqualTo(2);
    assertThat(dmDeliveryRate.err()).contains("dm takes --rate");

    CliRunner.Result tls = cli.run("bench", "--server", "https://example.org");
    assertThat(tls.exitCode()).isEqualTo(2);
    assertThat(tls.err()).contains("plain HTTP");

    CliRunner.Result remotePid =
        cli.run("bench", "--server", "http://192.0.2.1:8080", "--server-pid", "1");
    assertThat(remotePid.exitCode()).isEqualTo(2);
    assertThat(remotePid.err()).contains("--server-pid needs a server on this machine");

    CliRunner.Result workload = cli.run("bench", "--workload", "storm");
    assertThat(workload.exitCode()).isEqualTo(2);
    assertThat(workload.err()).contains("unknown workload 'storm'");
  }
}
