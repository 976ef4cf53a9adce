package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.API_KEY;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No API key value in plain text in the state: every registration of the program is inspected, its
 * inputs as the engine receives them and its outputs as the engine would store them. An output is
 * stored as a secret when it arrives marked as one or when the registration lists it in
 * {@code additionalSecretOutputs}; anything else lands in the state file in plain text.
 */
class KeyValuesInStateTest {

    static Stream<Named<StackRun>> stacks() {
        return Stream.of(Named.of("dev", StackRuns.dev()), Named.of("prod", StackRuns.prod()),
                Named.of("dev with a supplied key", StackRuns.devWithSuppliedKey()));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyInputAndOutputHoldingAKeyValueIsASecret(StackRun run) {
        int index = 0;
        for (String key : keyValues(run)) {
            List<String> plain = new ArrayList<>();
            List<String> secret = new ArrayList<>();
            for (StackRun.Request request : run.requests()) {
                String what = request.type() + " " + request.name();
                scan(what + " input", request.object(), List.of(), key, plain, secret);
                scan(what + " output", request.outputs(), request.additionalSecretOutputs(), key, plain, secret);
            }
            for (StackRun.RegisteredOutputs outputs : run.registeredOutputs()) {
                scan(outputs.urn() + " registered output", outputs.outputs(), List.of(), key, plain, secret);
            }
            String description = "key " + index++ + " of " + run.engineConfig().stack();
            assertThat(plain).as("where %s is in plain text", description).isEmpty();
            // Not vacuous: the key is found, as a secret, in its ApiKey, its plan membership and the stack's apiKeys.
            assertThat(secret).as("where %s is a secret", description)
                    .anySatisfy(where -> assertThat(where).startsWith(API_KEY + " ").endsWith(" output value"))
                    .anySatisfy(where -> assertThat(where).startsWith(USAGE_PLAN_KEY + " ").endsWith(" output value"))
                    .anySatisfy(where -> assertThat(where).endsWith("pulumi:pulumi:Stack::llm-gateway-"
                            + run.engineConfig().stack() + " registered output apiKeys"));
        }
    }

    @Test
    void theSuppliedKeyIsAmongTheValuesLookedFor() {
        assertThat(keyValues(StackRuns.devWithSuppliedKey())).contains(StackRuns.SUPPLIED_KEY);
    }

    @Test
    void aPlanMembershipReportsItsKeysValueAsASecretOutput() {
        StackRun run = StackRuns.dev();
        for (Registered membership : run.ofType(USAGE_PLAN_KEY)) {
            Registered key = run.ofType(API_KEY).stream()
                    .filter(k -> k.id().equals(membership.inputs().get("keyId"))).findFirst().orElseThrow();
            assertThat(membership.state()).containsEntry("value", key.state().get("value"));
            assertThat(run.request(USAGE_PLAN_KEY, membership.name()).additionalSecretOutputs()).contains("value");
        }
    }

    /** Every key value of the run: what the mocks generated for each ApiKey, or what the config supplied. */
    private static Set<String> keyValues(StackRun run) {
        Set<String> keys = new LinkedHashSet<>();
        for (Registered key : run.ofType(API_KEY)) {
            keys.add((String) key.state().get("value"));
        }
        assertThat(keys).as("key values").hasSize(run.config().clients().size()).doesNotContainNull();
        return keys;
    }

    /** Records, per top-level property, where the key sits in plain text and where as a secret. */
    private static void scan(String what, Struct properties, List<String> secretProperties, String key,
                             List<String> plain, List<String> secret) {
        for (Map.Entry<String, Value> property : properties.getFieldsMap().entrySet()) {
            List<String> plainStrings = new ArrayList<>();
            List<String> secretStrings = new ArrayList<>();
            StackRun.strings(property.getValue(), secretProperties.contains(property.getKey()), plainStrings,
                    secretStrings);
            String where = what + " " + property.getKey();
            if (plainStrings.stream().anyMatch(s -> s.contains(key))) {
                plain.add(where);
            }
            if (secretStrings.stream().anyMatch(s -> s.contains(key))) {
                secret.add(where);
            }
        }
    }
}
