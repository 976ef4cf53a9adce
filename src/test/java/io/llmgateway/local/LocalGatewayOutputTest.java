package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the local gateway itself prints when its output is not a terminal, as in a log of the main
 * command (README, "Run it locally"): a fresh JVM runs {@link LocalGatewayMain} on the dev stack with
 * its output on pipes, answers requests that try to smuggle an escape code in (a header, a key, the
 * path, the prompt, the model's name), and is stopped. The banner, the access log, the function log and the goodbye hold
 * no ESC byte. The Maven around it is kept from writing escape codes by {@code .mvn/}, which .ci/run checks.
 */
class LocalGatewayOutputTest {

    private static final char ESC = '\u001b';
    private static final Pattern PORT = Pattern.compile("Base URL +http://127\\.0\\.0\\.1:(\\d+)/dev/v1");
    private static final Pattern KEY = Pattern.compile("Authorization: Bearer ([A-Za-z0-9]+)");

    @Test
    void nothingItPrintsHoldsAnEscapeCode_evenWhenClientsSendOne() throws Exception {
        List<Path> classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
        // A short run: the client compiler and the serial collector start it fastest.
        List<String> jvmFlags = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        // Key values reach a pipe only when asked for; the keys file is this test's own.
        Path keys = Files.createTempDirectory("local-keys").resolve("keys.json");
        ChildJvm.Result result;
        try (ChildJvm.Started gateway = ChildJvm.start(classpath, jvmFlags, Map.of(), LocalGatewayMain.class.getName(),
                "--port", "0", "--print-keys", "--keys-file", keys.toString())) {
            String banner = gateway.awaitOutput("Base URL");
            Matcher port = PORT.matcher(banner);
            Matcher key = KEY.matcher(gateway.awaitOutput("Authorization: Bearer "));
            assertThat(port.find() && key.find()).as(banner).isTrue();
            int listening = Integer.parseInt(port.group(1));

            String chat = "{\"model\":\"nova-micro\",\"messages\":[{\"role\":\"user\",\"content\":\"\\u001b[2J hi\"}]}";
            assertThat(send(listening, "POST /dev/v1/chat/completions", "Authorization: Bearer " + key.group(1)
                    + "\r\nContent-Type: application/json", chat).status()).isEqualTo(200);
            // A control character in a header value is refused by the HTTP server itself (Jetty), in JSON.
            RawHttp.Response smuggled = send(listening, "POST /dev/v1/chat/completions", "Authorization: Bearer "
                    + key.group(1) + "\r\nUser-Agent: " + ESC + "[31mred\r\nContent-Type: application/json", chat);
            assertThat(smuggled.status()).isEqualTo(400);
            assertThat(smuggled.body()).contains("\"error\"");
            String unknownModel = "{\"model\":\"\\u001b[31mnova\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            assertThat(send(listening, "POST /dev/v1/chat/completions", "Authorization: Bearer " + key.group(1)
                    + "\r\nContent-Type: application/json", unknownModel).status()).isEqualTo(404);
            assertThat(send(listening, "GET /dev/v1/models", "x-api-key: " + ESC + "[0m" + "k".repeat(30), "").status())
                    .isEqualTo(400);
            assertThat(send(listening, "GET /dev/v1/models", "x-api-key: " + "k".repeat(30), "").status())
                    .isEqualTo(401);
            // An escape percent-encoded in the path: refused as malformed by the HTTP server (JSON).
            assertThat(send(listening, "GET /dev/v1/models%1B%5B0m", "Authorization: Bearer " + key.group(1), "").status())
                    .isEqualTo(400);
            result = gateway.stop();
        }
        // The banner, an access log line per request and the function log of the chat, and the goodbye.
        assertThat(result.stdout()).contains("Base URL").contains("\"status\":200").contains("\"status\":401")
                .contains("\"status\":404");
        assertThat(result.stderr()).contains("local gateway stopped");
        assertThat(result.stdout() + result.stderr()).as(result.describe()).doesNotContain(String.valueOf(ESC));
    }

    private static RawHttp.Response send(int port, String requestLine, String headers, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + "\r\nContent-Length: " + content.length + "\r\n\r\n";
        return RawHttp.exchange(port, RawHttp.concat(head.getBytes(StandardCharsets.UTF_8), content));
    }
}
