package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plan's declared guardrail on the local gateway, as the official OpenAI Node SDK sees it: a prompt
 * with the plan's denied word is answered with finish_reason content_filter and the plan's blocked
 * message; the same prompt on a plan without a guardrail is echoed. The echo model's guardrail is
 * deterministic (LocalGuardrails), so clients can test their handling of content_filter locally.
 */
class GuardrailsEndToEndTest {

    private static final String BLOCKED = "Blocked by the guarded plan's policy.";
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> guarded = new LinkedHashMap<>();
        guarded.put("throttle", TestConfigs.throttle(100, 100));
        guarded.put("tokens", Map.of("budget", Map.of("limit", new BigDecimal("1"), "period", "DAY", "unit", "usd")));
        guarded.put("guardrail", Map.of("blockedInputMessage", BLOCKED, "words", List.of("project-x"),
                "pii", Map.of("EMAIL", "ANONYMIZE"),
                "prices", Map.of("wordPolicy", new BigDecimal("0.1"), "sensitiveInformationPolicy", new BigDecimal("0.1"))));
        StackConfig config = TestConfigs.config(Map.of("guarded", guarded,
                "open", Map.of("throttle", TestConfigs.throttle(100, 100))),
                Map.of("modelPrices", Map.of("echo", Map.of("inputPerMillion", 1, "outputPerMillion", 1))));
        gateway = TestGateway.start(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /**
     * One call through the SDK: {@code chat.mjs} (buffered) or {@code stream.mjs} (streamed), both in the
     * pinned package StreamingAcceptanceTest installs.
     */
    private static Map<String, Object> viaSdk(String script, String client, String prompt) throws Exception {
        StreamingAcceptanceTest.install();
        Process node = new ProcessBuilder("node", script, gateway.gateway.baseUrl().toString(), gateway.key(client),
                "echo", prompt).directory(StreamingAcceptanceTest.PACKAGE.toFile()).redirectErrorStream(true).start();
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node " + script + " finished").isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        return Json.readObject(output.lines().reduce((a, b) -> b).orElse("{}"));
    }

    private static Map<String, Object> viaSdk(String client, String prompt) throws Exception {
        return viaSdk("chat.mjs", client, prompt);
    }

    @Test
    void aGuardedPlansBlockedPromptIsContentFilter_anUnguardedPlansIsNot() throws Exception {
        assertThat(viaSdk("guarded-client", "Tell me about Project-X, please."))
                .isEqualTo(Map.of("finish", "content_filter", "content", BLOCKED));
        assertThat(viaSdk("open-client", "Tell me about Project-X, please."))
                .isEqualTo(Map.of("finish", "stop", "content", "Echo from amazon.nova-micro-v1:0: Tell me about Project-X, please."));
        assertThat(viaSdk("guarded-client", "Tell me about projects, please."))
                .containsEntry("finish", "stop");
    }

    @Test
    void streamed_aGuardedPlansBlockedPromptIsContentFilter_anUnguardedPlansIsNot() throws Exception {
        assertThat(viaSdk("stream.mjs", "guarded-client", "Tell me about project-x."))
                .containsEntry("finish", "content_filter").containsEntry("content", BLOCKED);
        assertThat(viaSdk("stream.mjs", "open-client", "Tell me about project-x."))
                .containsEntry("finish", "stop")
                .containsEntry("content", "Echo from amazon.nova-micro-v1:0: Tell me about project-x.");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAnonymizedAddressIsMaskedInTheAnswer_andTheLogNamesThePolicyNotTheAddress() throws Exception {
        HttpResponse<String> answer = gateway.send("POST", "/test/v1/chat/completions", Json.write(Map.of("model", "echo",
                "messages", List.of(Map.of("role", "user", "content", "Write to ana@example.com")))),
                "Authorization", "Bearer " + gateway.key("guarded-client"));
        assertThat(answer.statusCode()).isEqualTo(200);
        Map<String, Object> choice = ((List<Map<String, Object>>) Json.readObject(answer.body()).get("choices")).get(0);
        assertThat(choice.get("finish_reason")).isEqualTo("content_filter");
        assertThat(((Map<String, Object>) choice.get("message")).get("content"))
                .isEqualTo("Echo from amazon.nova-micro-v1:0: Write to {EMAIL}");
        String line = gateway.functionLog.stream().filter(l -> l.contains("\"guardrail\"")).reduce((a, b) -> b).orElseThrow();
        assertThat(Json.readObject(line)).containsEntry("guardrailPolicies", List.of("sensitiveInformationPolicy"));
        assertThat(line).doesNotContain("ana@example.com");
    }

    /** The Responses API on a guarded plan: the plan's guardrail applies there too (one Converse builder). */
    @Test
    @SuppressWarnings("unchecked")
    void theResponsesApi_onAGuardedPlan_isIncompleteForTheContentFilter_streamedAndNot() throws Exception {
        String path = "/" + gateway.config.stageName() + "/v1/responses";
        String auth = "Bearer " + gateway.key("guarded-client");
        Map<String, Object> r = Json.readObject(gateway.send("POST", path,
                "{\"model\":\"echo\",\"input\":\"Tell me about Project-X, please.\"}", "Authorization", auth).body());
        assertThat(r).containsEntry("status", "incomplete").containsEntry("output_text", BLOCKED)
                .containsEntry("incomplete_details", Map.of("reason", "content_filter"));

        String stream = gateway.send("POST", path, "{\"model\":\"echo\",\"stream\":true,"
                + "\"input\":\"Tell me about Project-X, please.\"}", "Authorization", auth).body();
        String[] events = stream.strip().split("\n\n");
        Map<String, Object> last = Json.readObject(events[events.length - 1].substring(
                events[events.length - 1].indexOf("data: ") + "data: ".length()));
        assertThat(last).containsEntry("type", "response.incomplete");
        assertThat((Map<String, Object>) last.get("response"))
                .containsEntry("incomplete_details", Map.of("reason", "content_filter"));
        assertThat(stream).contains(BLOCKED);
    }
}
