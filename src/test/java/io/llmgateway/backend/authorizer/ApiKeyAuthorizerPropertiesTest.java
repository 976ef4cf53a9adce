package io.llmgateway.backend.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.testing.Coverage;
import io.llmgateway.testing.Gen;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorizer over generated headers and bodies: each property is checked on a fixed number of cases
 * drawn from the fixed seeds ({@link Gen}), as many as it needs to meet the rare inputs.
 */
class ApiKeyAuthorizerPropertiesTest {

    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:1:api/prod/POST/v1/chat/completions";
    private static final String SEEDS = "io.llmgateway.testing.Gen#seeds";

    /** What {@link #invoke} returns for a refusal: the authorizer failed with "Unauthorized" (API Gateway's 401). */
    private static final Map<String, Object> UNAUTHORIZED = Map.of("failed", ApiKeyAuthorizer.UNAUTHORIZED);

    /** API Gateway's key format: 20-128 printable ASCII characters without spaces. */
    private static final Gen<String> WELL_FORMED_KEYS = Gen.strings(20, 128, Gen.chars('!', '~'));

    private static final Gen<String> SCHEMES = Gen.of("Bearer ", "bearer ", "BEARER  ", " Bearer ", "Basic ", "Bearer\t", "");
    private static final Gen<String> KEYS_OR_NOT = Gen.oneOf(WELL_FORMED_KEYS, Gen.strings(0, 140));
    private static final Gen<String> ENDINGS = Gen.of("", " ", "\t", "\n", "x y");
    /** Header values as a client may send them: any text, and scheme-and-key shapes near the valid ones. */
    private static final Gen<String> HEADER_VALUES = Gen.frequency(Gen.weight(1, Gen.strings(0, 300)),
            Gen.weight(1, random -> SCHEMES.next(random) + KEYS_OR_NOT.next(random) + ENDINGS.next(random)));
    /** A header value, or no such header one time in four. */
    private static final Gen<String> MAYBE_HEADERS = random -> random.nextInt(4) == 0 ? null : HEADER_VALUES.next(random);

    private static final int ANY_HEADERS = 500;

    /** Both answers must be common among any headers, or the property below proves little of one. */
    @RegisterExtension
    static final Coverage ANY_HEADERS_COVERAGE = Coverage.of(ANY_HEADERS).atLeast("allowed", 5).atLeast("denied", 50);

    /** One for all cases, as a warm Lambda keeps one. */
    private static final ApiKeyAuthorizer AUTHORIZER = new ApiKeyAuthorizer(line -> { });

    record Bearer(String key, boolean lowerCaseScheme) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void wellFormedKey_asBearer_isAllowedWithExactlyThatKey(long seed) {
        Gen<Bearer> bearers = random -> new Bearer(WELL_FORMED_KEYS.next(random), random.nextBoolean());
        Gen.forAll(seed, 200, bearers, bearer -> {
            Map<String, Object> policy = invoke(headers((bearer.lowerCaseScheme() ? "bearer " : "Bearer ") + bearer.key(), null));
            assertThat(ApiKeyAuthorizerTest.statement(policy)).containsEntry("Effect", "Allow");
            assertThat(policy).containsEntry("usageIdentifierKey", bearer.key());
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void wellFormedKey_asXApiKeyWithoutAuthorization_isAllowedWithExactlyThatKey(long seed) {
        Gen.forAll(seed, 200, WELL_FORMED_KEYS, key -> {
            Map<String, Object> policy = invoke(headers(null, key));
            assertThat(ApiKeyAuthorizerTest.statement(policy)).containsEntry("Effect", "Allow");
            assertThat(policy).containsEntry("usageIdentifierKey", key);
        });
    }

    record TwoKeys(String authorization, String someoneElsesKey) {
    }

    /**
     * What makes caching per Authorization header safe: when a request has an Authorization header,
     * nothing else it sends changes the answer.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void withAnAuthorizationHeader_theAnswerDependsOnNothingElse(long seed) {
        // API Gateway answers a blank Authorization header with 401 itself; the authorizer never sees one.
        Gen<String> authorization = random -> (random.nextBoolean() ? "Bearer " : "") + Gen.strings(1, 200).next(random);
        Gen<TwoKeys> cases = random -> new TwoKeys(authorization.filter(h -> !h.isBlank()).next(random),
                WELL_FORMED_KEYS.next(random));
        Gen.forAll(seed, 300, cases, twoKeys -> {
            Map<String, Object> alone = invoke(headers(twoKeys.authorization(), null));
            Map<String, Object> withXApiKey = invoke(headers(twoKeys.authorization(), twoKeys.someoneElsesKey()));
            assertThat(withXApiKey).isEqualTo(alone);
        });
    }

    /** The headers of a request; null when it has none of the kind. */
    record Headers(String authorization, String apiKey) {
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void anyHeaders_neverThrow_andAllowOnlyTheTrimmedPrintableKey(long seed) {
        Gen<Headers> cases = random -> new Headers(MAYBE_HEADERS.next(random), MAYBE_HEADERS.next(random));
        Gen.forAll(seed, ANY_HEADERS, cases, sent -> {
            Map<String, Object> policy = invoke(headers(sent.authorization(), sent.apiKey()));
            Object key = policy.get("usageIdentifierKey");
            ANY_HEADERS_COVERAGE.collect(key == null ? "denied" : "allowed");
            if (key != null) {
                String k = (String) key;
                assertThat(k).isNotBlank().hasSizeLessThanOrEqualTo(ApiKeyAuthorizer.MAX_KEY_LENGTH);
                assertThat(k.chars()).allMatch(c -> c >= 0x21 && c <= 0x7e);
                boolean fromAuthorization = sent.authorization() != null && !sent.authorization().isBlank();
                assertThat(fromAuthorization ? sent.authorization().strip().endsWith(k)
                        : sent.apiKey() != null && sent.apiKey().strip().equals(k)).isTrue();
            }
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void arbitraryBytes_areAnsweredWithAPolicyOrUnauthorized(long seed) {
        Gen.forAll(seed, 300, Gen.bytes(255), body -> {
            Map<String, Object> policy = invoke(body);
            assertThat(policy.containsKey("policyDocument") || policy.equals(UNAUTHORIZED)).isTrue();
        });
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
    private static Map<String, Object> invoke(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            AUTHORIZER.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (ApiKeyAuthorizer.Unauthorized e) {
            return UNAUTHORIZED;
        }
        Map<String, Object> policy = (Map<String, Object>) Json.read(out.toByteArray());
        List<?> statements = (List<?>) ((Map<String, Object>) policy.get("policyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        return policy;
    }
}
