package dev.natter.codec.internal;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.natter.core.protocol.ClientCommand;
import java.util.List;
import java.util.Map;

/**
 * How {@link ClientCommand}s bind: the {@code type} name of each command, and mix-ins for what the
 * records cannot say (chat-core knows no JSON). Each record component is a field of the same name;
 * fields not marked {@link OptionalField} are required.
 */
final class CommandBinding {
  private CommandBinding() {}

  /** The protocol's {@code type} of each command. */
  private static final NamedType[] TYPES =
      ProtocolTypes.named(
          ClientCommand.class,
          new NamedType(ClientCommand.Send.class, "send"),
          new NamedType(ClientCommand.Edit.class, "edit"),
          new NamedType(ClientCommand.Delete.class, "delete"),
          new NamedType(ClientCommand.React.class, "react"),
          new NamedType(ClientCommand.Typing.class, "typing"),
          new NamedType(ClientCommand.Read.class, "read"),
          new NamedType(ClientCommand.Sync.class, "sync"),
          new NamedType(ClientCommand.History.class, "history"));

  static void register(SimpleModule module) {
    module.registerSubtypes(TYPES);
    module.setMixInAnnotation(ClientCommand.class, Command.class);
    module.setMixInAnnotation(ClientCommand.Send.class, Send.class);
    module.setMixInAnnotation(ClientCommand.Sync.class, Sync.class);
    module.setMixInAnnotation(ClientCommand.History.class, History.class);
  }

  /** One JSON object per command, its kind in {@code type}; the request {@code id} is optional. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  interface Command {
    @OptionalField
    String id();
  }

  interface Send {
    @OptionalField
    String replyTo();

    @OptionalField
    List<String> files();
  }

  /** {@code rooms} is written sorted by room id, so equal commands are equal frames. */
  interface Sync {
    @JsonFormat(with = JsonFormat.Feature.WRITE_SORTED_MAP_ENTRIES)
    Map<String, Long> rooms();
  }

  interface History {
    @OptionalField
    Long before();

    @OptionalField
    Integer limit();
  }
}
