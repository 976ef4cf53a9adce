package io.llmgateway.backend;

import static io.llmgateway.testing.JsonPath.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.MutableClock;
import io.llmgateway.backend.responses.DynamoDbResponseStore;
import io.llmgateway.backend.responses.InMemoryResponseStore;
import io.llmgateway.backend.responses.ResponseStore;
import io.llmgateway.backend.responses.StoredResponses;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import io.llmgateway.testing.Dynalite;
import io.llmgateway.testing.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;

/**
 * Stored responses ({@code responses.store.enabled}) through the handler, against the in-memory store
 * and the DynamoDB one on dynalite: a response is kept, continued with {@code previous_response_id},
 * read, listed and deleted, only by the key that created it, and not after it expired. Without storage
 * the routes do not exist and {@code previous_response_id} says how to turn storage on.
 */
class StoredResponsesTest {

    private static final String OWNER = "q8w7e6r5t4";
    private static final String OTHER = "z9y8x7w6v5";
    private static final int TTL_DAYS = 30;

    private final MutableClock clock = new MutableClock(TestEvents.clock().instant());
    private final List<ConverseRequest> sent = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int requests;

    static Stream<Arguments> stores() {
        return Stream.of(
                Arguments.of("memory", (Supplier<ResponseStore>) InMemoryResponseStore::new),
                Arguments.of("dynamodb (dynalite)", (Supplier<ResponseStore>) () -> {
                    Dynalite dynalite = Dynalite.get();
                    return new DynamoDbResponseStore(dynalite.http(), dynalite.newResponsesTable());
                }));
    }

    private static BackendSettings settings() {
        return new BackendSettings(Map.of("nova", "amazon.nova-micro-v1:0"), 512, 32_000, 8 << 20, 29_000,
                Map.of());
    }

    private BackendHandler handler(ResponseStore store) {
        return handler(store, Metering.UNMETERED);
    }

    private BackendHandler handler(ResponseStore store, Metering metering) {
        FakeBedrock bedrock = new FakeBedrock(request -> {
            sent.add(request);
            String last = request.messages().get(request.messages().size() - 1).content().get(0).text();
            return FakeBedrock.response("Echo: " + last, StopReason.END_TURN, 10, 2);
        });
        return new BackendHandler(bedrock, null, settings(), metering,
                store == null ? null : new StoredResponses(store, TTL_DAYS, clock), clock, log::add);
    }

    /** A proxy event for this route, caller and request; each call is a new request id. */
    private byte[] event(Route route, String id, Map<String, String> query, String apiKeyId, Map<String, Object> body) {
        Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
        String path = id == null ? route.path() : route.path().replace("{response_id}", id);
        event.put("httpMethod", route.method());
        event.put("resource", route.path());
        event.put("path", path);
        event.put("body", body == null ? null : Json.write(body));
        event.put("pathParameters", id == null ? null : Map.of("response_id", id));
        event.put("queryStringParameters", query.isEmpty() ? null : query);
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        context.put("resourcePath", route.path());
        context.put("httpMethod", route.method());
        context.put("requestId", String.format("00000000-0000-4000-8000-%012d", ++requests));
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = (Map<String, Object>) context.get("identity");
        identity.put("apiKeyId", apiKeyId);
        return Json.writeBytes(event);
    }

    private HandlerAnswer call(BackendHandler handler, Route route, String id, Map<String, String> query, String key,
                               Map<String, Object> body) {
        return HandlerAnswer.invoke(handler, event(route, id, query, key, body), TestContext.fresh());
    }

    private HandlerAnswer create(BackendHandler handler, String key, Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "nova");
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return call(handler, Route.RESPONSES, null, Map.of(), key, body);
    }

    private static List<String> texts(ConverseRequest request) {
        return request.messages().stream().map(Message::content).flatMap(List::stream).map(ContentBlock::text).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aStoredResponse_isContinued_read_listed_andDeleted_byItsKey(String name, Supplier<ResponseStore> stores)
            throws Exception {
        BackendHandler handler = handler(stores.get());

        Map<String, Object> first = create(handler, OWNER, "input", "Hello there", "instructions", "Be brief.").json();
        assertThat(first).containsEntry("store", true).containsEntry("previous_response_id", null);
        String firstId = (String) first.get("id");

        HandlerAnswer second = create(handler, OWNER, "input", List.of(Map.of("role", "user", "content", "And now?")),
                "previous_response_id", firstId);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).containsEntry("previous_response_id", firstId).containsEntry("store", true)
                .containsEntry("output_text", "Echo: And now?");
        // The model sees the earlier input and output, then the new input; the instructions stay behind.
        assertThat(texts(sent.get(1))).containsExactly("Hello there", "Echo: Hello there", "And now?");
        assertThat(sent.get(1).system()).isEmpty();
        String secondId = (String) second.json().get("id");

        HandlerAnswer read = call(handler, Route.RESPONSE_GET, firstId, Map.of(), OWNER, null);
        assertThat(read.status()).isEqualTo(200);
        Map<String, Object> expected = new LinkedHashMap<>(first);
        expected.remove("output_text");
        assertThat(read.json()).isEqualTo(expected);

        // input_items lists that request's own items, newest first, each with an id.
        Map<String, Object> items = call(handler, Route.RESPONSE_INPUT_ITEMS, secondId, Map.of(), OWNER, null).json();
        assertThat(items).containsEntry("object", "list").containsEntry("has_more", false);
        List<Map<String, Object>> data = at(items, "data");
        assertThat(data).hasSize(1);
        assertThat(data.get(0)).containsEntry("role", "user").containsEntry("content", "And now?");
        assertThat(items).containsEntry("first_id", data.get(0).get("id")).containsEntry("last_id", data.get(0).get("id"));
        Map<String, Object> firstItems = call(handler, Route.RESPONSE_INPUT_ITEMS, firstId, Map.of("limit", "1",
                "order", "asc"), OWNER, null).json();
        assertThat(JsonPath.<Object>at(firstItems, "data", "0", "content", "0", "text")).isEqualTo("Hello there");
        assertThat(JsonPath.<Object>at(firstItems, "data", "0", "type")).isEqualTo("message");

        HandlerAnswer deleted = call(handler, Route.RESPONSE_DELETE, firstId, Map.of(), OWNER, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(Map.of("id", firstId, "object", "response", "deleted", true));
        assertThat(call(handler, Route.RESPONSE_GET, firstId, Map.of(), OWNER, null).status()).isEqualTo(404);
        assertThat(call(handler, Route.RESPONSE_DELETE, firstId, Map.of(), OWNER, null).status()).isEqualTo(404);
        // The second response keeps its own history: the chain goes on without the deleted one.
        HandlerAnswer third = create(handler, OWNER, "input", "Third", "previous_response_id", secondId);
        assertThat(third.status()).isEqualTo(200);
        assertThat(texts(sent.get(2))).containsExactly("Hello there", "Echo: Hello there", "And now?",
                "Echo: And now?", "Third");
        // Nothing of a prompt or an answer is logged.
        assertThat(String.join("\n", log)).doesNotContain("Hello there").doesNotContain("And now?");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void anotherKey_getsA404_everywhere_asIfTheResponseDidNotExist(String name, Supplier<ResponseStore> stores)
            throws Exception {
        BackendHandler handler = handler(stores.get());
        String id = (String) create(handler, OWNER, "input", "Secret plans").json().get("id");

        for (Route route : List.of(Route.RESPONSE_GET, Route.RESPONSE_INPUT_ITEMS, Route.RESPONSE_DELETE)) {
            HandlerAnswer other = call(handler, route, id, Map.of(), OTHER, null);
            assertThat(other.status()).as(route.name()).isEqualTo(404);
            assertThat(JsonPath.<Object>at(other.json(), "error", "message")).isEqualTo("Response with id '" + id + "' not found.");
            assertThat(JsonPath.<Object>at(other.json(), "error", "type")).isEqualTo("invalid_request_error");
        }
        HandlerAnswer chained = create(handler, OTHER, "input", "Go on", "previous_response_id", id);
        assertThat(chained.status()).isEqualTo(404);
        assertThat(JsonPath.<Object>at(chained.json(), "error", "param")).isEqualTo("previous_response_id");
        assertThat(JsonPath.<Object>at(chained.json(), "error", "message"))
                .isEqualTo("Previous response with id '" + id + "' not found.");
        assertThat(sent).hasSize(1);
        // Still there for its owner: the other key's delete deleted nothing.
        assertThat(call(handler, Route.RESPONSE_GET, id, Map.of(), OWNER, null).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aResponsePastItsExpiry_isGone_beforeDynamoDbDeletesIt(String name, Supplier<ResponseStore> stores)
            throws Exception {
        BackendHandler handler = handler(stores.get());
        String id = (String) create(handler, OWNER, "input", "Hello").json().get("id");

        clock.advance(Duration.ofDays(TTL_DAYS).minusSeconds(1));
        assertThat(call(handler, Route.RESPONSE_GET, id, Map.of(), OWNER, null).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(call(handler, Route.RESPONSE_GET, id, Map.of(), OWNER, null).status()).isEqualTo(404);
        assertThat(call(handler, Route.RESPONSE_DELETE, id, Map.of(), OWNER, null).status()).isEqualTo(404);
        assertThat(create(handler, OWNER, "input", "More", "previous_response_id", id).status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void anIdNoResponseCanHave_isA404_notAStoreError(String name, Supplier<ResponseStore> stores) throws Exception {
        BackendHandler handler = handler(stores.get());
        String longId = "resp_" + "a".repeat(3000);
        for (String id : List.of(longId, "resp_%22or%221", "résp_1")) {
            for (Route route : List.of(Route.RESPONSE_GET, Route.RESPONSE_DELETE, Route.RESPONSE_INPUT_ITEMS)) {
                assertThat(call(handler, route, id, Map.of(), OWNER, null).status()).as(route + " " + id.length())
                        .isEqualTo(404);
            }
            assertThat(create(handler, OWNER, "input", "x", "previous_response_id", id).status()).isEqualTo(404);
        }
    }

    @Test
    void theTokenReservation_countsTheHistoryAPreviousResponseBrings() throws Exception {
        RecordingMetering metering = new RecordingMetering();
        BackendHandler handler = handler(new InMemoryResponseStore(), metering);
        String history = "a long earlier question about the weather in Paris and in Rome, ".repeat(40);
        String first = (String) create(handler, OWNER, "input", history).json().get("id");
        create(handler, OWNER, "input", "Short");
        create(handler, OWNER, "input", "Short", "previous_response_id", first);

        List<Integer> estimates = metering.inputEstimates;
        assertThat(estimates).hasSize(3);
        // The chained request carries the earlier input and its echo: more than both of them alone.
        assertThat(estimates.get(2)).isGreaterThan(estimates.get(1) + estimates.get(0));
    }

    @Test
    void storeFalse_keepsNothing_andTheResponseSaysSo() throws Exception {
        InMemoryResponseStore store = new InMemoryResponseStore();
        BackendHandler handler = handler(store);
        Map<String, Object> r = create(handler, OWNER, "input", "Hello", "store", false).json();
        assertThat(r).containsEntry("store", false);
        assertThat(store.size()).isZero();
        assertThat(call(handler, Route.RESPONSE_GET, (String) r.get("id"), Map.of(), OWNER, null).status()).isEqualTo(404);
        assertThat(create(handler, OWNER, "input", "Hello", "store", "yes").status()).isEqualTo(400);
    }

    @Test
    void inputItems_pagesWithLimitAndAfter_andRefusesWhatItDoesNotRead() throws Exception {
        BackendHandler handler = handler(new InMemoryResponseStore());
        List<Object> input = List.of(Map.of("role", "user", "content", "one"), Map.of("role", "assistant", "content", "two"),
                Map.of("role", "user", "content", "three"));
        String id = (String) create(handler, OWNER, "input", input).json().get("id");

        Map<String, Object> page = call(handler, Route.RESPONSE_INPUT_ITEMS, id, Map.of("limit", "2"), OWNER, null).json();
        assertThat(page).containsEntry("has_more", true);
        assertThat(JsonPath.<Object>at(page, "data", "0", "content")).isEqualTo("three");
        Map<String, Object> rest = call(handler, Route.RESPONSE_INPUT_ITEMS, id, Map.of("limit", "2",
                "after", (String) page.get("last_id")), OWNER, null).json();
        assertThat(rest).containsEntry("has_more", false);
        assertThat(JsonPath.<Object>at(rest, "data", "0", "content")).isEqualTo("one");

        HandlerAnswer badLimit = call(handler, Route.RESPONSE_INPUT_ITEMS, id, Map.of("limit", "101"), OWNER, null);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(JsonPath.<Object>at(badLimit.json(), "error", "param")).isEqualTo("limit");
        HandlerAnswer unknown = call(handler, Route.RESPONSE_INPUT_ITEMS, id, Map.of("before", "x"), OWNER, null);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(JsonPath.<Object>at(unknown.json(), "error", "param")).isEqualTo("before");
    }

    @Test
    void withoutStorage_theRoutesDoNotExist_andPreviousResponseIdSaysHowToTurnItOn() throws Exception {
        BackendHandler handler = handler(null);
        Map<String, Object> r = create(handler, OWNER, "input", "Hello").json();
        assertThat(r).containsEntry("store", false);
        assertThat(create(handler, OWNER, "input", "Hello", "store", true).json()).containsEntry("store", false);

        HandlerAnswer chained = create(handler, OWNER, "input", "More", "previous_response_id", "resp_1");
        assertThat(chained.status()).isEqualTo(400);
        assertThat(JsonPath.<Object>at(chained.json(), "error", "param")).isEqualTo("previous_response_id");
        assertThat((String) at(chained.json(), "error", "message"))
                .contains("pulumi config set --path responses.store.enabled true");

        HandlerAnswer get = call(handler, Route.RESPONSE_GET, (String) r.get("id"), Map.of(), OWNER, null);
        assertThat(get.status()).isEqualTo(404);
        assertThat(JsonPath.<Object>at(get.json(), "error", "code")).isEqualTo("unknown_url");
    }

    @Test
    void aResponseTooLargeForAnItem_isAnswered_butNotKept_andTheAnswerAndTheLogSaySo() throws Exception {
        InMemoryResponseStore store = new InMemoryResponseStore();
        BackendHandler handler = handler(store);
        // Random letters barely compress: 1 MB stays far above DynamoDB's 400 KB item.
        java.util.Random random = new java.util.Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1 << 20; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        HandlerAnswer answer = create(handler, OWNER, "input", text.toString());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).containsEntry("store", false);
        assertThat(store.size()).isZero();
        assertThat(Json.readObject(log.get(log.size() - 1))).containsEntry("stored", "too_large");
    }
}
