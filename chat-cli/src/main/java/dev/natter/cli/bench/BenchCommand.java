package dev.natter.cli.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.natter.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code natter bench}: a load generator for a Natter server (or, for comparison, a broadcast relay
 * or a Socket.IO room server): raw NIO WebSocket clients, a fixed send schedule, latency from the
 * intended send time into HdrHistogram, a table on stdout and JSON on request.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Put a measured load on a server: create bench users and rooms over the HTTP API, open the"
          + " connections, run a workload after a discarded warm-up, and print connections held,"
          + " deliveries/s, end-to-end latency from the intended send time (p50/p99/p99.9/max),"
          + " messages not delivered within the run, and the server's memory and CPU when it"
          + " runs on this machine (--server-pid). A progress line goes to stderr once a second.",
      "",
      "Workloads: idle (connections held: memory per connection), fanout (one room of K"
          + " members, R messages/s from a few senders in turn), dm (P DM pairs, W messages in"
          + " flight per sender: acked messages/s and ack latency), history (members paging a"
          + " room back), slow-reader (fanout with one member that never reads).",
      "",
      "The server's send rate limit (natter serve: 20/10s per user) refuses faster senders:"
          + " start the server under test with a high limit, such as --send-rate 1000000/1s. Registering costs"
          + " the server a password hash per user: --accounts keeps the users for the next run."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter serve --send-rate 1000000/1s &",
      "  natter bench --workload fanout --members 500 \\",
      "      --delivery-rate 50000 --server-pid $! \\",
      "      --accounts /tmp/bench.json --json fanout.json",
      "  natter bench --workload idle --connections 10000 \\",
      "      --users 1000 --server-pid PID",
      "  natter bench --workload dm --pairs 200 --in-flight 2",
      "  natter bench --protocol relay --members 500 \\",
      "      --server http://127.0.0.1:9000 --rate 100"
    })
public final class BenchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(
      names = {"-s", "--server"},
      paramLabel = "URL",
      description =
          "The server (default ${DEFAULT-VALUE}). Only this option (and --receivers-server)"
              + " names a server: a remote one is used only when given here.",
      defaultValue = Target.DEFAULT)
  String server;

  @Option(
      names = "--receivers-server",
      paramLabel = "URL",
      description =
          "fanout: the members that do not send connect to this server instead, another node"
              + " of the same cluster (the senders stay on --server): cross-node delivery.")
  String receiversServer;

  @Option(
      names = "--protocol",
      paramLabel = "NAME",
      description =
          "natter (default), relay (a server echoing every frame to every client: bare Tyrus,"
              + " Node ws) or socketio (Socket.IO 4 room server, event \"msg\").",
      defaultValue = "natter")
  Protocol protocol;

  @Option(
      names = {"-w", "--workload"},
      paramLabel = "NAME",
      description = "idle, fanout (default), dm, history or slow-reader.",
      defaultValue = "fanout")
  String workload;

  @Option(
      names = {"-m", "--members"},
      paramLabel = "K",
      description = "fanout, slow-reader, history: members of the room (default ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int members;

  @Option(
      names = {"-r", "--rate"},
      paramLabel = "R",
      description =
          "fanout, slow-reader: messages per second into the room (default 20); dm: messages"
              + " per second over all pairs on a fixed schedule (an open loop) instead of"
              + " --in-flight.")
  Double rate;

  @Option(
      names = "--delivery-rate",
      paramLabel = "D",
      description = "fanout, slow-reader: deliveries per second instead (R = D / members).")
  Double deliveryRate;

  @Option(
      names = "--senders",
      paramLabel = "S",
      description = "fanout, slow-reader: members sending in turn (default min(20, members)).")
  Integer senders;

  @Option(
      names = {"-c", "--connections"},
      paramLabel = "N",
      description = "idle: connections to hold (default ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int connections;

  @Option(
      names = "--users",
      paramLabel = "U",
      description = "idle: users behind the connections (default: one per connection).")
  Integer users;

  @Option(
      names = "--room-size",
      paramLabel = "G",
      description = "idle: users are grouped into rooms of G (default ${DEFAULT-VALUE}; 0: none).",
      defaultValue = "20")
  int roomSize;

  @Option(
      names = "--pairs",
      paramLabel = "P",
      description = "dm: DM pairs (default ${DEFAULT-VALUE}); both sides send.",
      defaultValue = "50")
  int pairs;

  @Option(
      names = "--in-flight",
      paramLabel = "W",
      description =
          "dm, history: requests each connection keeps in flight (default ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int inFlight;

  @Option(
      names = "--history-messages",
      paramLabel = "H",
      description =
          "history: messages in the room, filled up before the warm-up (default ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int historyMessages;

  @Option(
      names = "--warmup",
      paramLabel = "TIME",
      description = "Load before measuring, discarded (default ${DEFAULT-VALUE}).",
      defaultValue = "10s",
      converter = DurationConverter.class)
  Duration warmup;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "TIME",
      description = "The measured window (default ${DEFAULT-VALUE}).",
      defaultValue = "20s",
      converter = DurationConverter.class)
  Duration duration;

  @Option(
      names = "--drain",
      paramLabel = "TIME",
      description =
          "After the window, how long to wait for what is still due before counting it as not"
              + " delivered (default ${DEFAULT-VALUE}).",
      defaultValue = "5s",
      converter = DurationConverter.class)
  Duration drain;

  @Option(
      names = "--connect-timeout",
      paramLabel = "TIME",
      description =
          "Longest wait for the connections (and the history fill) (default ${DEFAULT-VALUE}).",
      defaultValue = "120s",
      converter = DurationConverter.class)
  Duration connectTimeout;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "The server's process on this machine: its resident memory and CPU time, and its heap"
              + " after a full collection when it is a JVM and jcmd is on the PATH.")
  Long serverPid;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
  Path json;

  @Option(
      names = "--accounts",
      paramLabel = "FILE",
      description =
          "Keep the bench users (with their tokens) and rooms in FILE and reuse them next time.")
  Path accounts;

  @Option(
      names = "--user-prefix",
      paramLabel = "PREFIX",
      description = "Bench usernames are PREFIX-<random>-<n> (default ${DEFAULT-VALUE}).",
      defaultValue = "bench")
  String userPrefix;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description =
          "Selector threads of the load generator (two by default, one on a single core).")
  Integer ioThreads;

  @Option(
      names = "--source-addresses",
      paramLabel = "N",
      description =
          "Connect from 127.0.0.1 to 127.0.0.N (loopback; default: one per 16,000 connections).")
  Integer sourceAddresses;

  @Option(
      names = "--setup-only",
      description = "Create the users and rooms (see --accounts), then stop.")
  boolean setupOnly;

  @Override
  public Integer call() throws Exception {
    BenchSpec s = spec();
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    BenchResult result = new BenchRun(s, err).run();
    if (result == null) {
      return 0;
    }
    ResultTable.print(result, out);
    if (s.json() != null) {
      try {
        Path parent = s.json().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        JSON.writeValue(s.json().toFile(), result);
      } catch (IOException e) {
        throw CliException.failure("cannot write " + s.json() + ": " + e.getMessage());
      }
    }
    return 0;
  }

  /** The options, checked and resolved. */
  BenchSpec spec() {
    Target target = Target.parse(server);
    Workload w;
    try {
      w = Workload.parse(workload);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (protocol != Protocol.NATTER && !w.anyProtocol()) {
      throw CliException.usage("the " + w.cliName() + " workload needs --protocol natter");
    }
    if (serverPid != null && !target.loopback()) {
      throw CliException.usage("--server-pid needs a server on this machine (a loopback URL)");
    }
    int sources = sourceAddresses == null ? 0 : sourceAddresses;
    if (sources > 1 && !target.ipv4Loopback()) {
      throw CliException.usage("--source-addresses needs a server on 127.0.0.x");
    }
    if (!userPrefix.matches("[A-Za-z0-9_.]{1,16}")) {
      throw CliException.usage("--user-prefix: 1 to 16 of A-Z a-z 0-9 _ .");
    }
    atLeast(1, members, "--members");
    atLeast(1, connections, "--connections");
    atLeast(1, pairs, "--pairs");
    atLeast(1, inFlight, "--in-flight");
    atLeast(0, roomSize, "--room-size");
    atLeast(1, historyMessages, "--history-messages");
    if (w == Workload.SLOW_READER) {
      atLeast(2, members, "--members (slow-reader)");
    }
    int u = users == null ? connections : users;
    if (u < 1 || u > connections) {
      throw CliException.usage("--users must be between 1 and --connections");
    }
    int readers = w == Workload.SLOW_READER ? members - 1 : members;
    int s = senders == null ? Math.min(20, readers) : senders;
    if (s < 1 || s > readers) {
      throw CliException.usage("--senders must be between 1 and " + readers);
    }
    if (rate != null && deliveryRate != null) {
      throw CliException.usage("--rate and --delivery-rate exclude each other");
    }
    if (w == Workload.DM && deliveryRate != null) {
      throw CliException.usage("dm takes --rate (messages/s over all pairs), not --delivery-rate");
    }
    // dm without --rate: a closed loop (--in-flight); with it: an open loop on a fixed schedule
    double r =
        w == Workload.DM
            ? (rate != null ? rate : 0)
            : rate != null ? rate : deliveryRate != null ? deliveryRate / readers : 20;
    if (!(r > 0 || (w == Workload.DM && rate == null)) || r > 1_000_000) {
      throw CliException.usage("the message rate must be above 0 and at most 1,000,000/s");
    }
    if (warmup.isNegative() || drain.isNegative()) {
      throw CliException.usage("--warmup and --drain must not be negative");
    }
    if (duration.isZero() || duration.isNegative() || connectTimeout.isZero()) {
      throw CliException.usage("--duration and --connect-timeout must be positive");
    }
    Target receivers = receiversServer == null ? null : Target.parse(receiversServer);
    if (receivers != null && w != Workload.FANOUT) {
      throw CliException.usage("--receivers-server is for the fanout workload");
    }
    if (receivers != null && sources > 1) {
      throw CliException.usage("--receivers-server and --source-addresses exclude each other");
    }
    int io =
        ioThreads != null ? ioThreads : Math.min(2, Runtime.getRuntime().availableProcessors());
    atLeast(1, io, "--io-threads");
    return new BenchSpec(
        target,
        protocol,
        w,
        connections,
        u,
        roomSize,
        members,
        s,
        r,
        pairs,
        inFlight,
        historyMessages,
        warmup,
        duration,
        drain,
        connectTimeout,
        serverPid,
        json,
        accounts,
        userPrefix,
        io,
        sources,
        setupOnly,
        receivers);
  }

  private static void atLeast(int min, int value, String option) {
    if (value < min) {
      throw CliException.usage(option + " must be at least " + min);
    }
  }
}
