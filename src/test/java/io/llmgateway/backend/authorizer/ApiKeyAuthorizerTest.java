package io.llmgateway.backend.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.common.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyAuthorizerTest {

    static final String KEY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";
    static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/POST/v1/chat/completions";
    static final String STAGE_RESOURCE = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*/*";

    private final List<String> logged = new ArrayList<>();
    private final ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(logged::add);

    @Test
    void fixture_bearerKey_allowsWithUsageIdentifierKeyForTheWholeStage() throws IOException {
        Map<String, Object> policy;
        try (InputStream in = getClass().getResourceAsStream("/events/authorizer-request.json")) {
            policy = invoke(in.readAllBytes());
        }
        assertAllowed(policy, KEY);
        assertThat(statement(policy)).containsEntry("Resource", STAGE_RESOURCE)
                .containsEntry("Action", "execute-api:Invoke");
        assertThat(policy).containsEntry("principalId", "api-key");
        assertThat(logged).isEmpty();
    }

    @Test
    void bearer_anySchemeCase_allows() throws IOException {
        assertAllowed(invoke(headers("Authorization", "Bearer " + KEY)), KEY);
        assertAllowed(invoke(headers("authorization", "bearer " + KEY)), KEY);
        assertAllowed(invoke(headers("AUTHORIZATION", "BEARER " + KEY)), KEY);
    }

    @Test
    void xApiKey_aloneOrInAnyCase_allows() throws IOException {
        assertAllowed(invoke(headers("x-api-key", KEY)), KEY);
        assertAllowed(invoke(headers("X-API-Key", KEY)), KEY);
    }

    @Test
    void bothHeaders_bearerWins() throws IOException {
        assertAllowed(invoke(headers("Authorization", "Bearer " + KEY, "x-api-key", "OtherKeyOtherKeyOtherKey")), KEY);
    }

    /**
     * The cache-bypass the rule closes: with caching, API Gateway would cache this answer under
     * "Basic ..." alone, and serve the same header without any key as this client.
     */
    @Test
    void nonBearerAuthorization_deniesEvenWithAValidXApiKey() throws IOException {
        for (String value : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "Token " + KEY)) {
            assertUnauthorized(headers("Authorization", value, "x-api-key", KEY));
        }
        assertThat(logged).allMatch(line -> line.contains("\"reason\":\"authorization_not_bearer\""))
                .noneMatch(line -> line.contains(KEY));
    }

    @Test
    void blankAuthorization_countsAsNone_soXApiKeyIsRead() throws IOException {
        assertAllowed(invoke(headers("Authorization", "  ", "x-api-key", KEY)), KEY);
    }

    @Test
    void surroundingWhitespace_isTrimmed() throws IOException {
        assertAllowed(invoke(headers("Authorization", "  Bearer \t " + KEY + "  ")), KEY);
        assertAllowed(invoke(headers("x-api-key", " " + KEY + "\t")), KEY);
    }

    @Test
    void neitherHeader_isUnauthorizedAsMissing() throws IOException {
        assertUnauthorized(headers("Content-Type", "application/json"));
        assertThat(logged).containsExactly("{\"authorizer\":\"deny\",\"reason\":\"missing\"}");
    }

    @Test
    void malformedAuthorization_denies() throws IOException {
        for (String value : List.of("Bearer", "Bearer    ", "Basic dXNlcjpwYXNz", "Bearer" + KEY, "Token " + KEY, "")) {
            assertUnauthorized(headers("Authorization", value));
        }
        assertThat(logged).hasSize(6).noneMatch(line -> line.contains(KEY));
    }

    @Test
    void keyWithControlOrSpaceCharacters_denies() throws IOException {
        assertUnauthorized(headers("Authorization", "Bearer abc def ghi jkl mno pqr"));
        assertUnauthorized(headers("x-api-key", "abc\u0000defghijklmnopqrstuvwxyz"));
        assertUnauthorized(headers("x-api-key", "ключключключключключключ"));
    }

    @Test
    void oversizedHeader_isUnauthorizedWithoutEchoingIt() throws IOException {
        String huge = "k".repeat(64 * 1024);
        assertUnauthorized(headers("Authorization", "Bearer " + huge));
        assertThat(logged).containsExactly("{\"authorizer\":\"deny\",\"reason\":\"malformed\"}");
    }

    @Test
    void keyAtTheLengthLimit_isPassedOnForApiGatewayToJudge() throws IOException {
        String longest = "k".repeat(ApiKeyAuthorizer.MAX_KEY_LENGTH);
        assertAllowed(invoke(headers("x-api-key", longest)), longest);
        assertUnauthorized(headers("x-api-key", longest + "k"));
    }

    /** An event it cannot read is refused as "Unauthorized" (a clean 401), never another failure (a 500). */
    @Test
    void unreadableEvents_areUnauthorized() {
        for (String body : List.of("", "not json", "[]", "null", "{\"headers\": 7}", "{\"headers\":{\"x-api-key\":",
                "{\"methodArn\": {\"nested\": true}, \"headers\": {\"x-api-key\": [\"a\"]}}")) {
            assertUnauthorized(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void policyResource_coversEveryMethodOfTheStage() {
        assertThat(ApiKeyAuthorizer.policyResource(METHOD_ARN)).isEqualTo(STAGE_RESOURCE);
        assertThat(ApiKeyAuthorizer.policyResource(
                "arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc/dev/GET/v1/models"))
                .isEqualTo("arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:abc/dev/*/*");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static byte[] headers(String... nameValues) {
        Map<String, Object> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", METHOD_ARN);
        event.put("headers", headers);
        return Json.writeBytes(event);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> invoke(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        authorizer.handleRequest(new ByteArrayInputStream(event), out, null);
        return (Map<String, Object>) Json.read(out.toByteArray());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> statement(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) policy.get("policyDocument");
        assertThat(document).containsEntry("Version", "2012-10-17");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");
        assertThat(statements).hasSize(1);
        return statements.get(0);
    }

    static void assertAllowed(Map<String, Object> policy, String key) {
        assertThat(statement(policy)).containsEntry("Effect", "Allow");
        assertThat(policy).containsEntry("usageIdentifierKey", key);
    }

    /**
     * A refusal is the failure "Unauthorized", which API Gateway answers with 401 UNAUTHORIZED (never a
     * Deny, which it would answer with ACCESS_DENIED), with nothing written.
     */
    private void assertUnauthorized(byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> authorizer.handleRequest(new ByteArrayInputStream(event), out, null))
                .isInstanceOf(ApiKeyAuthorizer.Unauthorized.class).hasMessage("Unauthorized").hasNoCause();
        assertThat(out.size()).isZero();
    }
}
