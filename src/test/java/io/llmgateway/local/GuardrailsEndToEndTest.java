package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import io.llmgateway.testing.OpenAiNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private static final String SCRIPT = """
            import OpenAI from "openai";
            const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.KEY, maxRetries: 0 });
            const answer = await client.chat.completions.create({
              model: "echo",
              messages: [{ role: "user", content: process.env.PROMPT }],
            });
            console.log(JSON.stringify({ finish: answer.choices[0].finish_reason,
                                         content: answer.choices[0].message.content }));
            """;

    private static Map<String, Object> viaSdk(String client, String prompt) throws Exception {
        OpenAiNode.Result result = OpenAiNode.run(SCRIPT, Map.of("BASE_URL", gateway.gateway.baseUrl().toString(),
                "KEY", gateway.key(client), "PROMPT", prompt));
        assertThat(result.exitCode()).as(result.output()).isZero();
        String[] lines = result.output().strip().split("\n");
        return Json.readObject(lines[lines.length - 1]);
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
}
