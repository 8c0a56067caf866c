package dev.natter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The code in docs/embedding.md is the examples' code: every block there that follows a {@code <!--
 * snippet: File.java#tag -->} marker must equal the lines between {@code // tag::tag[]} and {@code
 * // end::tag[]} in that example (indentation removed). Change an example and this test names the
 * block to copy again, so the guide cannot drift from code that compiles and runs.
 */
class DocsSnippetsTest {
  private static final Path DOC = Path.of("../docs/embedding.md");
  private static final Path SOURCES = Path.of("src/main/java/dev/natter/examples");
  private static final Pattern SNIPPET =
      Pattern.compile(
          "<!-- snippet: ([A-Za-z]+\\.java)#([a-z-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  record Snippet(String file, String tag, String text) {}

  static List<Snippet> snippets(String markdown) {
    List<Snippet> found = new ArrayList<>();
    Matcher m = SNIPPET.matcher(markdown);
    while (m.find()) {
      found.add(new Snippet(m.group(1), m.group(2), m.group(3)));
    }
    return found;
  }

  static String region(String source, String tag) {
    String start = "// tag::" + tag + "[]";
    String end = "// end::" + tag + "[]";
    int from = source.indexOf(start);
    int to = source.indexOf(end);
    assertThat(from).as("%s in the example", start).isNotNegative();
    assertThat(to).as("%s in the example", end).isGreaterThan(from);
    String inner =
        source.substring(source.indexOf('\n', from) + 1, source.lastIndexOf('\n', to) + 1);
    return dedent(inner).strip() + "\n"; // the formatter may leave a blank line before the tag
  }

  static String dedent(String text) {
    List<String> lines = text.lines().toList();
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString();
  }

  @Test
  void everySnippetInTheGuideIsTheExamplesCode() throws IOException {
    List<Snippet> snippets = snippets(Files.readString(DOC));
    assertThat(snippets).extracting(Snippet::tag).contains("embedded", "bot", "core");
    for (Snippet s : snippets) {
      String source = Files.readString(SOURCES.resolve(s.file()));
      assertThat(s.text())
          .as("docs/embedding.md block %s#%s (copy it from the example)", s.file(), s.tag())
          .isEqualTo(region(source, s.tag()));
    }
  }

  @Test
  void aChangedExampleIsNoticed() {
    String doc = "<!-- snippet: A.java#x -->\n```java\nfoo();\n```\n";
    String source =
        "class A {\n  void m() {\n    // tag::x[]\n    bar();\n    // end::x[]\n  }\n}\n";
    Snippet s = snippets(doc).get(0);
    assertThat(s.text()).isEqualTo("foo();\n");
    assertThat(region(source, "x")).isEqualTo("bar();\n").isNotEqualTo(s.text());
  }
}
