package io.llmgateway.backend.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmgateway.backend.TestSettings;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.metering.Metering;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The parameter table says what the parser does: each row's use, type and range hold for a real request. */
class ChatParameterTest {

    private static final ChatRequestParser PARSER = new ChatRequestParser(TestSettings.settings());

    private static Map<String, Object> body(String key, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", TestSettings.HAIKU);
        body.put("messages", List.of(Map.of("role", "user", "content", "Hi")));
        body.put(key, value);
        return body;
    }

    private static ChatRequest parse(Map<String, Object> body) throws RequestError {
        return PARSER.parse(body, Metering.Entitlement.EVERYTHING);
    }

    private static String refusedCode(Map<String, Object> body) {
        RequestError error = catchThrowableOfType(RequestError.class, () -> parse(body));
        return error == null ? null : error.error().code();
    }

    static Stream<ChatParameter> refusedUnlessDefault() {
        return Arrays.stream(ChatParameter.values())
                .filter(p -> p.use == ChatParameter.Use.DEFAULT_ONLY || p.use == ChatParameter.Use.REFUSED);
    }

    @ParameterizedTest
    @MethodSource("refusedUnlessDefault")
    void aParameterConverseCannotHonour_isRefusedNamingIt_unlessItHoldsItsDefault(ChatParameter parameter)
            throws RequestError {
        Object more = switch (parameter.type) {
            case INTEGER -> (long) parameter.range.max() + 1;
            case NUMBER -> 0.5;
            case BOOLEAN -> true;
            default -> Map.of("asks", "for more");
        };
        RequestError error = catchThrowableOfType(RequestError.class, () -> parse(body(parameter.key, more)));
        assertThat(error).as(parameter.key).isNotNull();
        assertThat(error.error().code()).isEqualTo("unsupported_parameter");
        assertThat(error.error().param()).isEqualTo(parameter.key);
        assertThat(error.error().message()).isEqualTo(parameter.note);

        for (Object byDefault : parameter.defaults) {
            parse(body(parameter.key, byDefault));
        }
        if (parameter.type == ChatParameter.Type.INTEGER || parameter.type == ChatParameter.Type.NUMBER) {
            parse(body(parameter.key, parameter.type == ChatParameter.Type.INTEGER ? (long) parameter.range.min()
                    : parameter.range.min()));
        }
    }

    static Stream<ChatParameter> mappedNumbers() {
        return Stream.of(ChatParameter.TEMPERATURE, ChatParameter.TOP_P);
    }

    @ParameterizedTest
    @MethodSource("mappedNumbers")
    void aMappedNumber_takesItsRange_andIsRefusedOutsideIt(ChatParameter parameter) throws RequestError {
        assertThat(refusedCode(body(parameter.key, parameter.range.min()))).isNull();
        assertThat(refusedCode(body(parameter.key, parameter.range.max()))).isNull();
        assertThat(refusedCode(body(parameter.key, parameter.range.max() + 0.01))).isEqualTo("invalid_value");
        assertThat(refusedCode(body(parameter.key, parameter.range.min() - 0.01))).isEqualTo("invalid_value");
        assertThat(refusedCode(body(parameter.key, "warm"))).isEqualTo("invalid_type");
    }

    @ParameterizedTest
    @EnumSource(value = ChatParameter.class, names = {"SEED", "STORE", "METADATA", "SERVICE_TIER"})
    void anIgnoredParameter_changesNothing_whateverItHolds(ChatParameter parameter) throws RequestError {
        ChatRequest plain = parse(body("unrelated", null));
        for (Object value : List.of(42, "x", Map.of("k", "v"), List.of(1), true)) {
            assertThat(parse(body(parameter.key, value))).as(parameter.key + "=" + value)
                    .usingRecursiveComparison().isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @EnumSource(ChatParameter.class)
    void everyRow_saysWhatBecomesOfIt(ChatParameter parameter) {
        assertThat(parameter.key).matches("[a-z_]+");
        assertThat(parameter.note).isNotBlank();
        if (parameter.use == ChatParameter.Use.DEFAULT_ONLY && parameter.type == ChatParameter.Type.ANY) {
            assertThat(parameter.defaults).as(parameter.key + " needs the values it takes").isNotEmpty();
        }
    }
}
