package io.llmgateway.backend.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

class ApiKeyAuthorizerPropertiesTest {

    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:1:api/prod/POST/v1/chat/completions";

    private final ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(line -> { });

    /** What {@link #invoke} returns for a refusal: the authorizer failed with "Unauthorized" (API Gateway's 401). */
    private static final Map<String, Object> UNAUTHORIZED = Map.of("failed", ApiKeyAuthorizer.UNAUTHORIZED);

    /** API Gateway's key format: 20-128 printable ASCII characters without spaces. */
    @Provide
    Arbitrary<String> wellFormedKeys() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(20).ofMaxLength(128);
    }

    @Property(tries = 200)
    void wellFormedKey_asBearer_isAllowedWithExactlyThatKey(@ForAll("wellFormedKeys") String key,
                                                             @ForAll boolean lowerCaseScheme) throws Exception {
        Map<String, Object> policy = invoke(headers((lowerCaseScheme ? "bearer " : "Bearer ") + key, null));
        assertThat(ApiKeyAuthorizerTest.statement(policy)).containsEntry("Effect", "Allow");
        assertThat(policy).containsEntry("usageIdentifierKey", key);
    }

    @Property(tries = 200)
    void wellFormedKey_asXApiKeyWithoutAuthorization_isAllowedWithExactlyThatKey(
            @ForAll("wellFormedKeys") String key) throws Exception {
        Map<String, Object> policy = invoke(headers(null, key));
        assertThat(ApiKeyAuthorizerTest.statement(policy)).containsEntry("Effect", "Allow");
        assertThat(policy).containsEntry("usageIdentifierKey", key);
    }

    /**
     * What makes caching per Authorization header safe: when a request has an Authorization header,
     * nothing else it sends changes the answer.
     */
    @Property(tries = 300)
    void withAnAuthorizationHeader_theAnswerDependsOnNothingElse(
            @ForAll @StringLength(min = 1, max = 200) String authorization,
            @ForAll("wellFormedKeys") String someoneElsesKey,
            @ForAll boolean bearerShaped) throws Exception {
        String header = bearerShaped ? "Bearer " + authorization : authorization;
        if (header.isBlank()) {
            return; // API Gateway answers 401 itself; the authorizer never sees it
        }
        Map<String, Object> alone = invoke(headers(header, null));
        Map<String, Object> withXApiKey = invoke(headers(header, someoneElsesKey));
        assertThat(withXApiKey).isEqualTo(alone);
    }

    @Property(tries = 500)
    void anyHeaders_neverThrow_andAllowOnlyTheTrimmedPrintableKey(
            @ForAll @StringLength(max = 300) String authorization,
            @ForAll @StringLength(max = 300) String apiKey,
            @ForAll boolean sendAuthorization,
            @ForAll boolean sendApiKey) throws Exception {
        Map<String, Object> policy = invoke(headers(sendAuthorization ? authorization : null,
                sendApiKey ? apiKey : null));
        Object key = policy.get("usageIdentifierKey");
        if (key != null) {
            String k = (String) key;
            assertThat(k).isNotBlank().hasSizeLessThanOrEqualTo(ApiKeyAuthorizer.MAX_KEY_LENGTH);
            assertThat(k.chars()).allMatch(c -> c >= 0x21 && c <= 0x7e);
            boolean fromAuthorization = sendAuthorization && !authorization.isBlank();
            assertThat(fromAuthorization ? authorization.strip().endsWith(k) : sendApiKey && apiKey.strip().equals(k))
                    .isTrue();
        }
    }

    @Property(tries = 300)
    void arbitraryBytes_areAnsweredWithAPolicyOrUnauthorized(@ForAll byte[] body) throws Exception {
        Map<String, Object> policy = invoke(body);
        assertThat(policy.containsKey("policyDocument") || policy.equals(UNAUTHORIZED)).isTrue();
    }

    private static byte[] headers(String authorization, String apiKey) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        return Json.writeBytes(Map.of("methodArn", METHOD_ARN, "headers", headers));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            authorizer.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (ApiKeyAuthorizer.Unauthorized e) {
            return UNAUTHORIZED;
        }
        Map<String, Object> policy = (Map<String, Object>) Json.read(out.toByteArray());
        List<?> statements = (List<?>) ((Map<String, Object>) policy.get("policyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        return policy;
    }
}
