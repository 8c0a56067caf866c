package dev.natter.cli;

import dev.natter.cli.app.Natter;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code natter} in-process with its own environment, standard input and captured output. */
public final class CliRunner {
  /** The outcome of one run. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private final Path home;

  public CliRunner(Path home) {
    this.home = home;
    env.put("NATTER_CONFIG", home.resolve("config/natter/config.json").toString());
  }

  public CliRunner env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Path configFile() {
    return Path.of(env.get("NATTER_CONFIG"));
  }

  public CliContext context(String stdin) {
    return new CliContext(
            env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), home)
        .passwordHasher(TestServer.FAST_HASHER);
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  public Result runWithInput(String stdin, String... args) {
    return run(context(stdin), args);
  }

  public static Result run(CliContext context, String... args) {
    CommandLine cl = Natter.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
