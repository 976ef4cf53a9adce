package io.llmgateway.backend.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prelude's bytes (API Gateway developer guide, "Lambda proxy integration format for response streaming"). */
class IntegrationPreludeTest {

    @Test
    void isTheJsonMetadata_thenEightNulBytes() {
        byte[] prelude = IntegrationPrelude.encode(200, Map.of("Content-Type", List.of("text/event-stream")));

        String json = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"text/event-stream\"}}";
        assertThat(prelude).hasSize(json.length() + 8);
        assertThat(new String(prelude, 0, json.length(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(Arrays.copyOfRange(prelude, json.length(), prelude.length)).containsOnly(0);
    }

    @Test
    void namesWithSeveralValues_goUnderMultiValueHeaders_whateverTheirCase() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Set-Cookie", List.of("a=1"));
        headers.put("set-cookie", List.of("b=2"));
        headers.put("x-request-id", List.of("r-1"));

        String json = new String(IntegrationPrelude.encode(429, headers), StandardCharsets.UTF_8).replace("\0", "");

        assertThat(json).isEqualTo("{\"statusCode\":429,\"headers\":{\"x-request-id\":\"r-1\"},"
                + "\"multiValueHeaders\":{\"Set-Cookie\":[\"a=1\",\"b=2\"]}}");
    }

    @Test
    void theDelimiterMustEndWithinTheFirst16KB() {
        String base = "{\"statusCode\":200,\"headers\":{\"x-pad\":\"\"}}";
        int fits = IntegrationPrelude.DELIMITER_WITHIN - IntegrationPrelude.DELIMITER_LENGTH - base.length();

        assertThat(IntegrationPrelude.encode(200, Map.of("x-pad", List.of("p".repeat(fits)))))
                .hasSize(IntegrationPrelude.DELIMITER_WITHIN);
        assertThatThrownBy(() -> IntegrationPrelude.encode(200, Map.of("x-pad", List.of("p".repeat(fits + 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the response prelude is 16377 bytes; with its 8-byte delimiter it must fit in the first "
                        + "16384 bytes");
    }

    @Test
    void refusesWhatNoHttpResponseCanCarry() {
        assertThatThrownBy(() -> IntegrationPrelude.encode(99, Map.of()))
                .hasMessage("an HTTP status is 100-599, not 99");
        assertThatThrownBy(() -> IntegrationPrelude.encode(200, Map.of("bad name", List.of("v"))))
                .hasMessage("not an HTTP field name: bad name");
        assertThatThrownBy(() -> IntegrationPrelude.encode(200, Map.of("x-split", List.of("a\r\nInjected: 1"))))
                .hasMessage("HTTP field x-split needs a value without CR, LF or NUL");
    }
}
