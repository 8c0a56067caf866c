package dev.natter.codec.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The one configured {@link ObjectMapper} behind the codec: strict JSON in (duplicate keys, NaN,
 * nesting deeper than {@value #MAX_NESTING_DEPTH} and numbers longer than {@value
 * #MAX_NUMBER_LENGTH} digits refused), every field required unless marked {@link OptionalField},
 * unknown fields ignored, null fields left out when writing, and the protocol's bindings ({@link
 * CommandBinding}, {@link EventBinding}, {@link ModelBinding}, {@link StrictScalars}). Immutable
 * once built and shared by every codec.
 */
public final class WireMapper {
  /** Deepest nesting of arrays and objects a frame may have. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Most digits a JSON number may have. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Most characters of a bad token that a parse error repeats (the rest is cut). */
  public static final int MAX_ERROR_TOKEN_LENGTH = 32;

  private static final ObjectMapper MAPPER = create();

  private WireMapper() {}

  /** The shared mapper. */
  public static ObjectMapper get() {
    return MAPPER;
  }

  private static ObjectMapper create() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .errorReportConfiguration(
                ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(MAX_ERROR_TOKEN_LENGTH)
                    .maxRawContentLength(0)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    SimpleModule protocol = new SimpleModule("natter-protocol");
    StrictScalars.register(protocol);
    ModelBinding.register(protocol);
    CommandBinding.register(protocol);
    EventBinding.register(protocol);
    return JsonMapper.builder(factory)
        .addModule(protocol)
        .addHandler(new TypeIdProblems())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
        .defaultPropertyInclusion(
            JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
        .build();
  }
}
