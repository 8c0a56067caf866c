package dev.natter.core.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A service outside the JVM (PostgreSQL, Redis...) that a test class needs, found through an
 * environment variable. When it cannot be reached, the class is skipped with one line that says
 * where it was looked for, why it failed and how to start it; with {@code CI=true} the class fails
 * instead ({@link #requireReachable}), since a CI run must not pass by testing nothing. Whether the
 * service answers is probed once per JVM and kind of service.
 *
 * <p>A subclass says what the service is ({@link #name}, {@link #where}, {@link #urlVariable},
 * {@link #howToStart}) and how to probe it, and calls {@link #requireReachable} first in its own
 * {@code beforeAll}.
 */
public abstract class ExternalService implements ExecutionCondition {
  private static final Map<Class<?>, String> UNREACHABLE = new ConcurrentHashMap<>();

  /**
   * What the service is called in messages.
   *
   * @return e.g. "PostgreSQL"
   */
  protected abstract String name();

  /**
   * Where it was looked for, without secrets.
   *
   * @return e.g. a host and port
   */
  protected abstract String where();

  /**
   * The environment variable that points the tests at another instance.
   *
   * @return its name
   */
  protected abstract String urlVariable();

  /**
   * How to start the service on this machine.
   *
   * @return a command, in backquotes
   */
  protected abstract String howToStart();

  /**
   * Connects and checks that the service answers.
   *
   * @throws Exception when it does not, with a message that says why
   */
  protected abstract void probe() throws Exception;

  /**
   * The value of an environment variable, or a default when it is unset or blank.
   *
   * @param variable the variable
   * @param fallback the default
   * @return the value
   */
  protected static String env(String variable, String fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * Why the service cannot be reached, or "" if it can.
   *
   * @return the reason
   */
  protected final String unreachable() {
    return UNREACHABLE.computeIfAbsent(
        getClass(),
        kind -> {
          try {
            probe();
            return "";
          } catch (Exception e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
          }
        });
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (unreachable().isEmpty() || inCi()) {
      return ConditionEvaluationResult.enabled(name() + " is reachable (or CI: fail if not)");
    }
    boolean topLevelClass =
        context.getTestMethod().isEmpty()
            && context.getRequiredTestClass().getEnclosingClass() == null;
    String line = unreachableLine(context, "is skipped");
    if (topLevelClass) {
      System.err.println(line);
    }
    return ConditionEvaluationResult.disabled(line);
  }

  /**
   * Fails the class when the service cannot be reached (only reached with {@code CI=true}: else the
   * class was skipped).
   *
   * @param context the class's context
   * @throws IllegalStateException when the service does not answer
   */
  protected final void requireReachable(ExtensionContext context) {
    if (!unreachable().isEmpty()) {
      throw new IllegalStateException(unreachableLine(context, "fails (CI=true)"));
    }
  }

  private static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** One line: where the service was looked for, why it failed, what happens, how to start it. */
  private String unreachableLine(ExtensionContext context, String outcome) {
    return name()
        + " is not reachable at "
        + where()
        + " ("
        + unreachable().lines().findFirst().orElse("")
        + "), so "
        + context.getRequiredTestClass().getSimpleName()
        + " "
        + outcome
        + ": start it with "
        + howToStart()
        + " (or .ci/services.sh), or point "
        + urlVariable()
        + " at one";
  }
}
