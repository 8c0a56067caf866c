package dev.natter.cli.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.cli.CliContext;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Every help screen of every (sub)command, rendered at 60, 80 and 120 columns, is text that picocli
 * wrapped: no line is wider than the screen, and no line ends early because a description carried a
 * hard line break (a line that stops mid-sentence although the next word would have fit on it).
 * Descriptions are whole sentences and paragraphs, summaries end with a full stop, and examples fit
 * the narrowest screen so they are never wrapped.
 */
class HelpTextTest {
  private static final int[] WIDTHS = {60, 80, 120};
  private static final int NARROWEST = 60;

  /** How a finished sentence or heading ends; a line ending otherwise was wrapped mid-sentence. */
  private static final Pattern SENTENCE_END = Pattern.compile(".*[.:!?)]$");

  /** A line of the options list with an option's names and no description. */
  private static final Pattern OPTION_NAMES_ALONE = Pattern.compile(" +(-\\w, )?--[\\w-]+(=\\S+)?");

  private static CommandLine natter(int width) {
    CliContext context =
        new CliContext(Map.of(), new ByteArrayInputStream(new byte[0]), Path.of("/nonexistent"));
    CommandLine cl = Natter.commandLine(context);
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(width);
    return cl;
  }

  /** The command and all its subcommands, each once (aliases are the same command). */
  private static List<CommandLine> tree(CommandLine root) {
    Set<CommandLine> all = new LinkedHashSet<>();
    walk(root, all);
    return new ArrayList<>(all);
  }

  private static void walk(CommandLine cl, Set<CommandLine> all) {
    if (all.add(cl)) {
      for (CommandLine sub : cl.getSubcommands().values()) {
        walk(sub, all);
      }
    }
  }

  @Test
  void theTreeHasEveryCommand() {
    List<String> names =
        tree(natter(80)).stream().map(c -> c.getCommandSpec().qualifiedName()).toList();
    assertThat(names)
        .contains(
            "natter",
            "natter serve",
            "natter chat",
            "natter send",
            "natter download",
            "natter admin",
            "natter admin export",
            "natter bench",
            "natter generate-completion",
            "natter help")
        .hasSize(20);
  }

  @TestFactory
  Stream<DynamicTest> everyHelpScreenIsWrappedTextThatFitsTheWidth() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int width : WIDTHS) {
      for (CommandLine cl : tree(natter(width))) {
        String name = cl.getCommandSpec().qualifiedName() + " --help at " + width + " columns";
        tests.add(DynamicTest.dynamicTest(name, () -> checkRendered(cl, width)));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> descriptionsAreWholeSentencesWithoutHardBreaks() {
    return tree(natter(80)).stream()
        .map(
            cl ->
                DynamicTest.dynamicTest(
                    cl.getCommandSpec().qualifiedName(), () -> checkModel(cl.getCommandSpec())));
  }

  /** The rendered usage: the width holds and every line break is one picocli made. */
  private static void checkRendered(CommandLine cl, int width) {
    String usage = cl.getUsageMessage(Ansi.OFF);
    List<String> lines = Arrays.asList(usage.split("\\R", -1));
    for (String line : lines) {
      assertThat(line.length()).as("width of [%s] in%n%s", line, usage).isLessThanOrEqualTo(width);
    }
    boolean examples = false; // below the heading, indented lines are command lines, not prose
    for (int i = bodyStart(lines); i + 1 < lines.size(); i++) {
      String a = lines.get(i);
      String b = lines.get(i + 1);
      examples |= a.equals("Examples:");
      if (a.isBlank() || b.isBlank() || examples && (a.startsWith(" ") || b.startsWith(" "))) {
        continue;
      }
      boolean newRow = b.matches("  \\S.*"); // the next command or option of a list
      assertThat(
              !newRow && a.endsWith(".") && Character.isLowerCase(b.strip().charAt(0))
                  || a.endsWith(":") && b.strip().matches("[/0-9].*"))
          .as("a name or URL broken at its dot or colon: [%s] / [%s] in%n%s", a, b, usage)
          .isFalse();
      if (SENTENCE_END.matcher(a.stripTrailing()).matches()) {
        continue; // a paragraph, a sentence or a heading ends here
      }
      if (OPTION_NAMES_ALONE.matcher(a).matches()) {
        continue; // an option too long for its column: picocli starts its description below
      }
      String next = firstWord(b);
      // picocli fills a line up to one column short of the width at most
      assertThat(a.stripTrailing().length() + 1 + next.length() + 1)
          .as(
              "[%s] ends mid-sentence although the next word [%s] fits on it: a hard line break in"
                  + " a description? In%n%s",
              a, next, usage)
          .isGreaterThan(width);
    }
  }

  /** Where the synopsis (which picocli wraps by option, not by word) ends. */
  private static int bodyStart(List<String> lines) {
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith("Usage:")) {
      i++; // a header, if any
    }
    i++;
    while (i < lines.size() && lines.get(i).startsWith(" ")) {
      i++;
    }
    return i;
  }

  private static String firstWord(String line) {
    String s = line.strip();
    int space = s.indexOf(' ');
    return space < 0 ? s : s.substring(0, space);
  }

  /** The annotations: one paragraph per description element, whole sentences, short examples. */
  private static void checkModel(CommandSpec spec) {
    UsageMessageSpec usage = spec.usageMessage();
    String[] description = usage.description();
    assertThat(description).as("description of %s", spec.qualifiedName()).isNotEmpty();
    String summary = usage.header().length > 0 ? usage.header()[0] : description[0];
    assertThat(summary)
        .as("the summary of %s (shown in the command list)", spec.qualifiedName())
        .endsWith(".")
        .doesNotContain("%n");
    for (String paragraph : description) {
      if (paragraph.isEmpty() || paragraph.startsWith("  ")) {
        continue; // a blank line, or an example (picocli's generate-completion has one)
      }
      assertWholeParagraph(paragraph, "a description paragraph of " + spec.qualifiedName());
    }
    for (ArgSpec arg : spec.args()) {
      if (arg.hidden()) {
        continue;
      }
      String what = "the description of " + arg.paramLabel() + " in " + spec.qualifiedName();
      if (arg.isOption()) {
        what = "the description of " + arg.command().qualifiedName() + " " + names(arg);
      }
      assertThat(arg.description()).as(what + " (one paragraph)").hasSize(1);
      assertWholeParagraph(arg.description()[0], what);
    }
    for (String line : usage.footer()) {
      if (line.startsWith("  ")) {
        assertThat(line.length())
            .as("example [%s] of %s fits %d columns", line, spec.qualifiedName(), NARROWEST)
            .isLessThanOrEqualTo(NARROWEST);
      } else {
        assertWholeParagraph(line, "a footer paragraph of " + spec.qualifiedName());
      }
    }
  }

  private static String names(ArgSpec arg) {
    return String.join(", ", ((CommandLine.Model.OptionSpec) arg).names());
  }

  private static void assertWholeParagraph(String text, String what) {
    String body = text.replaceAll("^(%n)+|(%n)+$", ""); // blank lines around a paragraph
    assertThat(body).as(what + ": no line break inside").doesNotContain("%n", "\n");
    assertThat(body.strip()).as(what + ": a whole sentence").matches(SENTENCE_END.pattern());
  }
}
