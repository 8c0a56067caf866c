package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import dev.natter.codec.FieldBound;
import dev.natter.core.protocol.ServerEvent;
import java.io.IOException;

/**
 * Says what is wrong with a frame's {@code type} in the protocol's words: missing, not a string, or
 * not a command (event) this side knows.
 */
final class TypeIdProblems extends DeserializationProblemHandler {

  @Override
  public JavaType handleUnknownTypeId(
      DeserializationContext ctxt,
      JavaType baseType,
      String subTypeId,
      TypeIdResolver idResolver,
      String failureMsg)
      throws IOException {
    JsonParser p = ctxt.getParser();
    if (!p.hasToken(JsonToken.VALUE_STRING)) { // Jackson takes any scalar as a type id
      throw WireProblem.frame(p, WireProblem.TYPE_NOT_A_STRING);
    }
    String unknown =
        baseType.isTypeOrSubTypeOf(ServerEvent.class) ? "unknown event type" : "unknown type";
    if (subTypeId.length() > FieldBound.TYPE.max()) {
      throw WireProblem.frame(
          p, unknown + " (longer than " + FieldBound.TYPE.max() + " characters)");
    }
    throw WireProblem.frame(p, unknown + " \"" + subTypeId + "\"");
  }

  @Override
  public JavaType handleMissingTypeId(
      DeserializationContext ctxt, JavaType baseType, TypeIdResolver idResolver, String failureMsg)
      throws IOException {
    throw WireProblem.typeMissing(ctxt.getParser());
  }
}
