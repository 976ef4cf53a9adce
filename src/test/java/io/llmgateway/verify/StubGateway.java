package io.llmgateway.verify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible gateway on loopback, written by hand from OpenAI's API reference: JSON bodies
 * and {@code text/event-stream} answers in OpenAI's wire format, and API Gateway's habit of sending
 * only {@code x-amzn-RequestId} on its own errors. By default it conforms to everything the command
 * checks, tools and embeddings included; each public field breaks one thing.
 */
final class StubGateway implements AutoCloseable {

    static final String KEY = "sk-stub-0123456789abcdefWXYZ";
    static final String CHAT_MODEL = "stub-chat";
    static final String EMBEDDING_MODEL = "stub-embed-v1";
    static final String BASE_PATH = "/stage/v1";
    static final String CALL_ID = "call_stub_1";

    /** What GET /models lists. */
    volatile List<String> models = List.of(CHAT_MODEL, EMBEDDING_MODEL);
    /** Headers on every 2xx. */
    volatile Map<String, String> successHeaders = Map.of("x-ratelimit-limit-requests", "600");
    volatile boolean servesRetrieve = true;
    volatile boolean servesTools = true;
    volatile boolean servesEmbeddings = true;
    /** The streamed tool call's index; OpenAI's start at 0. */
    volatile int streamedToolIndex = 0;
    /** Leave out the usage chunk of a stream. */
    volatile boolean streamWithoutUsage;
    /** CallOutcome chat completions with this status and a server error instead (e.g. 503 like a failing backend). */
    volatile int chatStatus = 200;
    /** CallOutcome every chat completion with 429 rate_limit_exceeded, without Retry-After. */
    volatile boolean throttleWithoutRetryAfter;
    /** Send no request-id header at all. */
    volatile boolean noRequestId;
    /** The status for an unknown model (bedrock-access-gateway answers 500). */
    volatile int unknownModelStatus = 404;
    /** VerifyReport more completion tokens than max_completion_tokens allowed. */
    volatile boolean ignoresMaxTokens;
    /** Tool-call arguments as sent. */
    volatile String toolArguments = "{\"city\":\"Paris\"}";
    /** Accept any key, as a gateway without authentication would. */
    volatile boolean acceptsAnyKey;

    /** The probe client's key: GET /models with it meets a token bucket on {@link #probeTime} and a quota. */
    static final String PROBE_KEY = "sk-stub-probe-0123456789abcdPRBE";
    volatile FakeTime probeTime = new FakeTime();
    volatile double probeRate = 1;
    volatile int probeBurst = 5;
    /** Requests the probe client may make, or -1 for no quota. */
    volatile int probeQuota = -1;
    volatile boolean probeRetryAfter = true;
    volatile boolean quotaShouldRetryHeader = true;
    private double probeTokens = Double.NaN;
    private long probeRefilled;
    private int probeUsed;

    /** Every request, as "METHOD path". */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Every chat request body. */
    final List<Map<String, Object>> chatBodies = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger();

    private StubGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::serve);
    }

    static StubGateway start() throws IOException {
        StubGateway stub = new StubGateway();
        stub.server.start();
        return stub;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- routing --------------------------------------------------------------------------------

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(method + " " + path);
            byte[] body = exchange.getRequestBody().readAllBytes();
            String route = path.startsWith(BASE_PATH) ? path.substring(BASE_PATH.length()) : path;
            boolean known = (method.equals("GET") && (route.equals("/models") || route.startsWith("/models/")))
                    || (method.equals("POST") && (route.equals("/chat/completions") || route.equals("/embeddings")
                    || route.equals("/responses")));
            if (!known || (route.startsWith("/models/") && !servesRetrieve)
                    || (route.equals("/embeddings") && !servesEmbeddings)) {
                gatewayError(exchange, 404, "invalid_request_error", "unknown_url", null,
                        "Invalid URL (" + method + " " + path + ")");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (("Bearer " + PROBE_KEY).equals(auth) && route.equals("/models") && probeRefused(exchange)) {
                return;
            }
            if (!acceptsAnyKey && !("Bearer " + KEY).equals(auth) && !("Bearer " + PROBE_KEY).equals(auth)) {
                gatewayError(exchange, 401, "invalid_request_error", "invalid_api_key", null, "Incorrect API key provided.");
                return;
            }
            Map<String, Object> request = body.length == 0 ? Map.of() : Json.readObject(new String(body, StandardCharsets.UTF_8));
            if (route.equals("/models")) {
                List<Object> data = new ArrayList<>();
                models.forEach(m -> data.add(model(m)));
                ok(exchange, Map.of("object", "list", "data", data));
            } else if (route.startsWith("/models/")) {
                String id = route.substring("/models/".length());
                if (models.contains(id)) {
                    ok(exchange, model(id));
                } else {
                    error(exchange, 404, "invalid_request_error", "model_not_found", "model", "The model '" + id + "' does not exist");
                }
            } else if (route.equals("/chat/completions")) {
                chatBodies.add(request);
                chat(exchange, request);
            } else if (route.equals("/responses")) {
                responses(exchange, request);
            } else {
                embeddings(exchange, request);
            }
        }
    }

    /** API Gateway's usage-plan order: the throttle, then the quota. True when it answered. */
    private synchronized boolean probeRefused(HttpExchange exchange) throws IOException {
        long now = probeTime.nanoTime();
        if (Double.isNaN(probeTokens)) {
            probeTokens = probeBurst;
            probeRefilled = now;
        }
        probeTokens = Math.min(probeBurst, probeTokens + probeRate * (now - probeRefilled) / 1e9);
        probeRefilled = now;
        if (probeTokens < 1) {
            if (probeRetryAfter) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            gatewayError(exchange, 429, "requests", "rate_limit_exceeded", null, "Rate limit reached for requests");
            return true;
        }
        probeTokens -= 1;
        if (probeQuota >= 0 && probeUsed >= probeQuota) {
            exchange.getResponseHeaders().set("Retry-After", "3600");
            if (quotaShouldRetryHeader) {
                exchange.getResponseHeaders().set("x-should-retry", "false");
            }
            gatewayError(exchange, 429, "insufficient_quota", "insufficient_quota", null, "You exceeded your current quota");
            return true;
        }
        probeUsed++;
        return false;
    }

    // ---- chat -----------------------------------------------------------------------------------

    private void chat(HttpExchange exchange, Map<String, Object> request) throws IOException {
        Object model = request.get("model");
        if (!models.contains(model)) {
            error(exchange, unknownModelStatus, unknownModelStatus == 404 ? "invalid_request_error" : "server_error",
                    unknownModelStatus == 404 ? "model_not_found" : "internal_error", unknownModelStatus == 404 ? "model" : null,
                    "The model '" + model + "' does not exist");
            return;
        }
        if (request.get("temperature") instanceof Number t && t.doubleValue() > 2) {
            error(exchange, 400, "invalid_request_error", "invalid_value", "temperature",
                    "Invalid 'temperature': expected a value <= 2, got " + t);
            return;
        }
        if (throttleWithoutRetryAfter) {
            error(exchange, 429, "requests", "rate_limit_exceeded", null, "Rate limit reached for requests");
            return;
        }
        if (chatStatus != 200) {
            exchange.getResponseHeaders().add("Retry-After", "5");
            error(exchange, chatStatus, "server_error", "service_unavailable", null, "The model is temporarily unavailable.");
            return;
        }
        boolean tools = request.containsKey("tools");
        if (tools && !servesTools) {
            error(exchange, 400, "invalid_request_error", "unsupported_parameter", "tools", "Tool calling is not supported.");
            return;
        }
        boolean callTool = tools && !"none".equals(request.get("tool_choice"));
        boolean stream = Boolean.TRUE.equals(request.get("stream"));
        long max = request.get("max_completion_tokens") instanceof Number n ? n.longValue() : 1024;
        long completionTokens = ignoresMaxTokens ? max + 10 : Math.min(max, 3);
        Map<String, Object> usage = Map.of("prompt_tokens", 7, "completion_tokens", completionTokens,
                "total_tokens", 7 + completionTokens);
        String id = "chatcmpl-" + ids.incrementAndGet();
        if (!stream) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            message.put("content", callTool ? null : "ready");
            message.put("refusal", null);
            if (callTool) {
                message.put("tool_calls", List.of(Map.of("id", CALL_ID, "type", "function",
                        "function", Map.of("name", ToolChecks.TOOL, "arguments", toolArguments))));
            }
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("message", message);
            choice.put("logprobs", null);
            choice.put("finish_reason", callTool ? "tool_calls" : "stop");
            Map<String, Object> completion = header(id, "chat.completion");
            completion.put("choices", List.of(choice));
            completion.put("usage", usage);
            ok(exchange, completion);
            return;
        }
        List<Map<String, Object>> chunks = new ArrayList<>();
        chunks.add(chunk(id, Map.of("role", "assistant", "content", ""), null));
        if (callTool) {
            int index = streamedToolIndex;
            String args = toolArguments;
            int half = args.length() / 2;
            chunks.add(chunk(id, Map.of("tool_calls", List.of(Map.of("index", index, "id", CALL_ID, "type", "function",
                    "function", Map.of("name", ToolChecks.TOOL, "arguments", "")))), null));
            chunks.add(chunk(id, Map.of("tool_calls", List.of(Map.of("index", index,
                    "function", Map.of("arguments", args.substring(0, half))))), null));
            chunks.add(chunk(id, Map.of("tool_calls", List.of(Map.of("index", index,
                    "function", Map.of("arguments", args.substring(half))))), null));
            chunks.add(chunk(id, Map.of(), "tool_calls"));
        } else {
            chunks.add(chunk(id, Map.of("content", "rea"), null));
            chunks.add(chunk(id, Map.of("content", "dy"), null));
            chunks.add(chunk(id, Map.of(), "stop"));
        }
        if (!streamWithoutUsage) {
            Map<String, Object> last = header(id, "chat.completion.chunk");
            last.put("choices", List.of());
            last.put("usage", usage);
            chunks.add(last);
        }
        StringBuilder sse = new StringBuilder();
        chunks.forEach(c -> sse.append("data: ").append(Json.write(c)).append("\n\n"));
        sse.append("data: [DONE]\n\n");
        send(exchange, 200, "text/event-stream; charset=utf-8", sse.toString(), true);
    }

    private Map<String, Object> chunk(String id, Map<String, Object> delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> chunk = header(id, "chat.completion.chunk");
        chunk.put("choices", List.of(choice));
        chunk.put("usage", null);
        return chunk;
    }

    private static Map<String, Object> header(String id, String object) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", object);
        body.put("created", 1_700_000_000L);
        body.put("model", CHAT_MODEL);
        body.put("system_fingerprint", null);
        return body;
    }

    // ---- responses ------------------------------------------------------------------------------

    /** A Response object of "ready" (10 + 1 tokens), or its documented event stream. */
    private void responses(HttpExchange exchange, Map<String, Object> request) throws IOException {
        Map<String, Object> part = Map.of("type", "output_text", "text", "ready", "annotations", List.of(),
                "logprobs", List.of());
        Map<String, Object> message = Map.of("id", "msg_1", "type", "message", "status", "completed", "role",
                "assistant", "content", List.of(part));
        Map<String, Object> done = new java.util.LinkedHashMap<>(Map.of("id", "resp_stub", "object", "response",
                "created_at", 1, "status", "completed", "model", request.get("model"), "output", List.of(message),
                "parallel_tool_calls", true, "tool_choice", "auto", "tools", List.of()));
        done.put("usage", Map.of("input_tokens", 10, "input_tokens_details", Map.of("cached_tokens", 0),
                "output_tokens", 1, "output_tokens_details", Map.of("reasoning_tokens", 0), "total_tokens", 11));
        if (!Boolean.TRUE.equals(request.get("stream"))) {
            ok(exchange, done);
            return;
        }
        Map<String, Object> started = new java.util.LinkedHashMap<>(done);
        started.put("status", "in_progress");
        started.put("output", List.of());
        started.put("usage", null);
        List<Map<String, Object>> events = List.of(
                Map.of("type", "response.created", "sequence_number", 0, "response", started),
                Map.of("type", "response.output_item.added", "sequence_number", 1, "output_index", 0, "item",
                        Map.of("id", "msg_1", "type", "message", "status", "in_progress", "role", "assistant",
                                "content", List.of())),
                Map.of("type", "response.content_part.added", "sequence_number", 2, "item_id", "msg_1",
                        "output_index", 0, "content_index", 0, "part", Map.of("type", "output_text", "text", "",
                                "annotations", List.of(), "logprobs", List.of())),
                Map.of("type", "response.output_text.delta", "sequence_number", 3, "item_id", "msg_1",
                        "output_index", 0, "content_index", 0, "delta", "ready", "logprobs", List.of()),
                Map.of("type", "response.output_text.done", "sequence_number", 4, "item_id", "msg_1",
                        "output_index", 0, "content_index", 0, "text", "ready", "logprobs", List.of()),
                Map.of("type", "response.output_item.done", "sequence_number", 5, "output_index", 0, "item", message),
                Map.of("type", "response.completed", "sequence_number", 6, "response", done));
        StringBuilder sse = new StringBuilder();
        events.forEach(e -> sse.append("event: ").append(e.get("type")).append("\ndata: ").append(Json.write(e))
                .append("\n\n"));
        send(exchange, 200, "text/event-stream; charset=utf-8", sse.toString(), true);
    }

    // ---- embeddings -----------------------------------------------------------------------------

    private void embeddings(HttpExchange exchange, Map<String, Object> request) throws IOException {
        if (!models.contains(request.get("model"))) {
            error(exchange, 404, "invalid_request_error", "model_not_found", "model", "No such model");
            return;
        }
        float[] vector = {0.25f, -0.5f, 0.125f, 1f};
        Object embedding;
        if ("base64".equals(request.get("encoding_format"))) {
            ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : vector) {
                bytes.putFloat(f);
            }
            embedding = Base64.getEncoder().encodeToString(bytes.array());
        } else {
            List<Double> floats = new ArrayList<>();
            for (float f : vector) {
                floats.add((double) f);
            }
            embedding = floats;
        }
        ok(exchange, Map.of("object", "list", "model", String.valueOf(request.get("model")),
                "data", List.of(Map.of("object", "embedding", "index", 0, "embedding", embedding)),
                "usage", Map.of("prompt_tokens", 4, "total_tokens", 4)));
    }

    // ---- answers --------------------------------------------------------------------------------

    private static Map<String, Object> model(String id) {
        return Map.of("id", id, "object", "model", "created", 1_700_000_000L, "owned_by", "stub");
    }

    private void ok(HttpExchange exchange, Map<String, Object> body) throws IOException {
        send(exchange, 200, "application/json", Json.write(body), true);
    }

    /** An error from the backend: it carries x-request-id. */
    private void error(HttpExchange exchange, int status, String type, String code, String param, String message)
            throws IOException {
        send(exchange, status, "application/json", errorBody(type, code, param, message), true);
    }

    /** An error API Gateway itself sends: only x-amzn-RequestId. */
    private void gatewayError(HttpExchange exchange, int status, String type, String code, String param, String message)
            throws IOException {
        send(exchange, status, "application/json", errorBody(type, code, param, message), false);
    }

    private static String errorBody(String type, String code, String param, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Json.write(Map.of("error", error));
    }

    private void send(HttpExchange exchange, int status, String contentType, String body, boolean backend)
            throws IOException {
        String requestId = "req-" + ids.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (!noRequestId) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            if (backend) {
                exchange.getResponseHeaders().set("x-request-id", requestId);
            }
        }
        if (status >= 200 && status < 300) {
            successHeaders.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
