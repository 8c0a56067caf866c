package dev.natter.codec.internal;

import dev.natter.codec.FieldBound;
import dev.natter.core.protocol.ClientCommand;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every field of a decoded {@link ClientCommand} against its {@link FieldBound} row, by the
 * record component's name. A component without a row is not checked here; {@code CommandBoundsTest}
 * fails for it, so a new field cannot ship unbounded.
 */
public final class CommandBounds {
  private CommandBounds() {}

  private record Checked(Method accessor, FieldBound bound) {}

  private static final ClassValue<List<Checked>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Checked> computeValue(Class<?> type) {
          List<Checked> out = new ArrayList<>();
          for (RecordComponent c : type.getRecordComponents()) {
            FieldBound.of(c.getName())
                .filter(b -> b.kind() != FieldBound.Kind.FLAG)
                .ifPresent(b -> out.add(new Checked(c.getAccessor(), b)));
          }
          return List.copyOf(out);
        }
      };

  /**
   * Checks a command's fields.
   *
   * @param command the decoded command
   * @return the command
   * @throws dev.natter.core.ChatException.BadRequest if a field is out of bounds (the message names
   *     the field, never its value)
   */
  public static ClientCommand check(ClientCommand command) {
    for (Checked f : FIELDS.get(command.getClass())) {
      f.bound().checkValue(read(f.accessor(), command));
    }
    return command;
  }

  private static Object read(Method accessor, ClientCommand command) {
    try {
      return accessor.invoke(command);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + accessor, e);
    }
  }
}
