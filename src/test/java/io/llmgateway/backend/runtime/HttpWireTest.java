package io.llmgateway.backend.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Message framing as RFC 9112 defines it, on bytes the runtime client may receive. */
class HttpWireTest {

    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aChunkedBody_isDecodedChunkByChunk_withExtensionsIgnored_andItsTrailersKept() throws IOException {
        List<String> chunks = new ArrayList<>();
        Map<String, List<String>> trailers = HttpWire.newFields();
        byte[] body = HttpWire.readBody(wire("5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: yes\r\n\r\n"),
                Map.of("Transfer-Encoding", List.of("chunked")), false,
                chunk -> chunks.add(new String(chunk, StandardCharsets.UTF_8)), trailers);

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("hello!");
        assertThat(chunks).containsExactly("hello", "!");
        assertThat(HttpWire.first(trailers, "x-trailer")).isEqualTo("yes");
    }

    @Test
    void framingThatDoesNotAddUp_isRefused() {
        Map<String, List<String>> chunked = Map.of("Transfer-Encoding", List.of("chunked"));
        assertThatThrownBy(() -> HttpWire.readBody(wire("zz\r\n"), chunked, false, null, null))
                .hasMessage("malformed chunk size: zz");
        assertThatThrownBy(() -> HttpWire.readBody(wire("2\r\nabc\r\n0\r\n\r\n"), chunked, false, null, null))
                .hasMessage("chunk data longer than its declared size 2");
        assertThatThrownBy(() -> HttpWire.readBody(wire("abc"), Map.of("Content-Length", List.of("5")), false, null,
                null)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> HttpWire.readBody(wire(""), Map.of("Content-Length", List.of("-1")), false, null,
                null)).hasMessage("unsupported Content-Length: -1");
        assertThatThrownBy(() -> HttpWire.readFields(wire("no colon here\r\n\r\n")))
                .hasMessage("malformed HTTP field line: no colon here");
    }

    @Test
    void aBodyWithoutFraming_runsToTheEndOfTheConnection_onlyWhenAsked() throws IOException {
        assertThat(HttpWire.readBody(wire("rest"), Map.of(), true, null, null)).asString().isEqualTo("rest");
        assertThat(HttpWire.readBody(wire("rest"), Map.of(), false, null, null)).isEmpty();
    }
}
