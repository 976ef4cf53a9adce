package io.llmgateway.backend;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** REST proxy events from the fixtures under src/test/resources/events. */
public final class TestEvents {

    /** requestContext.requestTimeEpoch of every fixture. */
    public static final long REQUEST_TIME_EPOCH = 1764237425000L;
    public static final String REQUEST_ID = "7f3c2b1a-5d4e-4f60-9a8b-0c1d2e3f4a5b";
    public static final String API_KEY_ID = "q8w7e6r5t4";
    public static final String API_KEY_VALUE = "sk-gw-0123456789abcdefSECRET";

    private TestEvents() {
    }

    /** 20 ms after API Gateway received the request. */
    public static Clock clock() {
        return Clock.fixed(Instant.ofEpochMilli(REQUEST_TIME_EPOCH + 20), ZoneOffset.UTC);
    }

    public static byte[] fixture(String name) {
        try (InputStream in = TestEvents.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> fixtureMap(String name) {
        try {
            return Json.readObject(new String(fixture(name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chat fixture with this body. */
    public static byte[] chat(String body) {
        Map<String, Object> event = fixtureMap("chat-completions.json");
        event.put("body", body);
        return Json.writeBytes(event);
    }

    public static byte[] chat(Map<String, ?> body) {
        return chat(Json.write(body));
    }

    /** The chat fixture with this body and requestContext.requestTimeEpoch. */
    @SuppressWarnings("unchecked")
    public static byte[] chat(String body, long requestTimeEpoch) {
        Map<String, Object> event = fixtureMap("chat-completions.json");
        event.put("body", body);
        ((Map<String, Object>) event.get("requestContext")).put("requestTimeEpoch", requestTimeEpoch);
        return Json.writeBytes(event);
    }
}
