package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import io.llmgateway.testing.NodeScript;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stored responses ({@code responses.store.enabled}) on the local gateway, in memory, through the official
 * Node SDK (pinned in src/test/openai-clients): create, continue with {@code previous_response_id},
 * retrieve, list input items, delete, {@code store: false}, a streamed response, and a second key that
 * gets 404 for all of it.
 */
class StoredResponsesEndToEndTest {

    static TestGateway gw;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Object> plans = new LinkedHashMap<>();
        plans.put("standard", Map.of("throttle", throttle(1000, 1000)));
        plans.put("premium", Map.of("throttle", throttle(1000, 1000)));
        StackConfig config = TestConfigs.config(plans, Map.of("models", Map.of("echo", "amazon.nova-micro-v1:0"),
                "streaming", Map.of("enabled", true), "responses", Map.of("store", Map.of("enabled", true))));
        gw = TestGateway.start(config);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theOfficialNodeSdk_storesContinuesRetrievesListsAndDeletes_andAnotherKeyGets404() {
        NodeScript.Result run = NodeScript.openAiClients("stored-client.mjs", gw.gateway.baseUrl().toString(),
                gw.key("standard-client"), gw.key("premium-client"), "echo");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("8 passed, 0 failed");
        // Nothing of a prompt or an answer reaches the function log.
        assertThat(String.join("\n", gw.functionLog)).doesNotContain("Remember the number");
    }
}
