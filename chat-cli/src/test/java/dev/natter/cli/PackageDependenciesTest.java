package dev.natter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of natter import one way: the shared root package and {@code term} and {@code
 * config} below the features ({@code serve}, {@code chat}, {@code oneshot}, {@code admin}), and
 * {@code app}, which puts them together, above all; no package cycle. Read from the sources: every
 * {@code dev.natter.cli...Type} they name, in imports or written out.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/natter/cli");
  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.natter\\.cli((?:\\.[a-z]\\w*)*)\\.[A-Z]");

  /** Package (relative to dev.natter.cli; "root" for itself) to the packages it refers to. */
  private static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = name(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
        Set<String> to = deps.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          String target = name(m.group(1).isEmpty() ? "" : m.group(1).substring(1));
          if (!target.equals(from)) {
            to.add(target);
          }
        }
      }
    }
    return deps;
  }

  @Test
  void thereIsNoPackageCycle() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertThat(deps).containsKeys("root", "app", "chat", "oneshot", "serve", "admin", "config");
    for (String start : deps.keySet()) {
      assertThat(pathBack(deps, start, start, new TreeSet<>()))
          .as("a cycle through package '%s' in %s", start, deps)
          .isEmpty();
    }
  }

  @Test
  void nothingImportsTheApplicationAndTheBottomImportsNothingAbove() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    deps.forEach((from, to) -> assertThat(to).as("what '%s' uses", from).doesNotContain("app"));
    assertThat(deps.get("config")).isEmpty();
    assertThat(deps.get("term")).isEmpty();
    assertThat(deps.get("root")).containsOnly("config");
  }

  private static String name(String relativePackage) {
    return relativePackage.isEmpty() ? "root" : relativePackage;
  }

  /** A path of packages from {@code from} back to {@code target}, or empty. */
  private static List<String> pathBack(
      Map<String, Set<String>> deps, String from, String target, Set<String> seen) {
    for (String next : deps.getOrDefault(from, Set.of())) {
      if (next.equals(target)) {
        return List.of(from, next);
      }
      if (seen.add(next)) {
        List<String> rest = pathBack(deps, next, target, seen);
        if (!rest.isEmpty()) {
          List<String> path = new ArrayList<>(List.of(from));
          path.addAll(rest);
          return path;
        }
      }
    }
    return List.of();
  }
}
