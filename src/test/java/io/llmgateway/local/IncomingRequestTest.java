package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncomingRequestTest {

    static IncomingRequest request(String path, String query, Map<String, List<String>> headers) {
        return new IncomingRequest("GET", path, query, "HTTP/1.1", "127.0.0.1", headers,
                new RequestBody(0, new ByteArrayInputStream(new byte[0])), Instant.EPOCH);
    }

    @Test
    void query_isDecodedIntoRepeatedValues_andAMalformedEscapeIsKeptAsSent() {
        Map<String, List<String>> query = request("/s/v1/models", "a=1&a=2&b=%20x&flag&&c=%ZZ", Map.of()).queryParameters();

        assertThat(query).containsEntry("a", List.of("1", "2")).containsEntry("b", List.of(" x"))
                .containsEntry("flag", List.of("")).containsEntry("c", List.of("%ZZ")).hasSize(4);
    }

    @Test
    void resourcePath_isThePathUnderTheStage() {
        assertThat(request("/s/v1/models", null, Map.of()).resourcePath("s")).hasValue("/v1/models");
        assertThat(request("/s", null, Map.of()).resourcePath("s")).isEmpty();
        assertThat(request("/other/v1/models", null, Map.of()).resourcePath("s")).isEmpty();
        assertThat(request("/sx/v1/models", null, Map.of()).resourcePath("s")).isEmpty();
    }

    @Test
    void header_isTheLastValueByNameInAnyCase() {
        IncomingRequest request = request("/s/v1/models", null, Map.of("Authorization", List.of("Bearer a", "Bearer b")));

        assertThat(request.header("authorization")).isEqualTo("Bearer b");
        assertThat(request.header("x-api-key")).isNull();
    }
}
