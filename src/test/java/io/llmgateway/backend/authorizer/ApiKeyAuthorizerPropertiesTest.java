package io.llmgateway.backend.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.contract.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class ApiKeyAuthorizerPropertiesTest {

    private final ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(new PrintStream(OutputStream.nullOutputStream()));

    @Property(tries = 500)
    void anyHeaders_neverThrow_andAllowOnlyTheTrimmedPrintableKey(
            @ForAll @StringLength(max = 300) String authorization,
            @ForAll @StringLength(max = 300) String apiKey,
            @ForAll boolean sendAuthorization,
            @ForAll boolean sendApiKey) throws Exception {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (sendAuthorization) {
            headers.put("Authorization", authorization);
        }
        if (sendApiKey) {
            headers.put("x-api-key", apiKey);
        }
        Map<String, Object> policy = invoke(Json.writeBytes(Map.of(
                "methodArn", "arn:aws:execute-api:us-east-1:1:api/prod/POST/v1/chat/completions", "headers", headers)));
        Object key = policy.get("usageIdentifierKey");
        if (key != null) {
            String k = (String) key;
            assertThat(k).isNotBlank().hasSizeLessThanOrEqualTo(ApiKeyAuthorizer.MAX_KEY_LENGTH);
            assertThat(k.chars()).allMatch(c -> c >= 0x21 && c <= 0x7e);
            assertThat((sendAuthorization && authorization.strip().endsWith(k)) || (sendApiKey && apiKey.strip().equals(k)))
                    .isTrue();
        }
    }

    @Property(tries = 300)
    void arbitraryBytes_neverThrow(@ForAll byte[] body) throws Exception {
        Map<String, Object> policy = invoke(body);
        assertThat(policy).containsKey("policyDocument");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        authorizer.handleRequest(new ByteArrayInputStream(event), out, null);
        Map<String, Object> policy = (Map<String, Object>) Json.read(out.toByteArray());
        List<?> statements = (List<?>) ((Map<String, Object>) policy.get("policyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        return policy;
    }
}
