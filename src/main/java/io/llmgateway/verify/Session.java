package io.llmgateway.verify;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything the checks share: OpenAI SDK clients, every answer seen, the tokens spent, and the
 * retry rule. Clients are the official OpenAI Java SDK configured as a user would, with nothing but
 * a base URL and a key; the SDK's own retries are off so that every answer, 429s included, is seen
 * here, and this class retries the way the SDK would (on 429 and 503, after Retry-After).
 */
final class Session implements AutoCloseable {

    /** The longest Retry-After this command waits; anything longer fails the call instead. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final Duration timeout;
    private final int retries;
    private final Time time;
    private final Map<String, OpenAIClient> clients = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicInteger retried = new AtomicInteger();

    /**
     * @param baseUrl what OpenAI SDKs take as base URL, ending in {@code /v1}
     * @param timeout the SDK's timeout per request
     * @param retries how often a 429 or 503 is retried after its Retry-After
     * @param time    clock and sleep
     */
    Session(String baseUrl, Duration timeout, int retries, Time time) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.retries = retries;
        this.time = time;
    }

    String baseUrl() {
        return baseUrl;
    }

    Time time() {
        return time;
    }

    /** An SDK client on the base URL with this key. */
    OpenAIClient client(String apiKey) {
        return clientAt(baseUrl, apiKey);
    }

    /** An SDK client on another base URL (the unknown-path check). */
    OpenAIClient clientAt(String url, String apiKey) {
        return clients.computeIfAbsent(url + "\n" + apiKey, k -> OpenAIOkHttpClient.builder()
                .baseUrl(url).apiKey(apiKey).maxRetries(0).timeout(timeout).build());
    }

    /**
     * Sends one request, retrying a 429 or 503 as an OpenAI SDK would, and records every answer.
     *
     * @param check the check sending it
     * @param route method and path, for messages: {@code POST /v1/chat/completions}
     * @param call  the SDK call, in its raw-response form
     * @param read  reads the parsed body into what the check judges; runs before the response closes
     */
    <T, R> CallOutcome<R> send(Check check, String route, Supplier<HttpResponseFor<T>> call, Function<T, R> read) {
        return send(check, route, call, read, retries);
    }

    /** Sends one request and takes the first answer, 429 or not (the limit probes count them). */
    <T, R> CallOutcome<R> once(Check check, String route, Supplier<HttpResponseFor<T>> call, Function<T, R> read) {
        return send(check, route, call, read, 0);
    }

    private <T, R> CallOutcome<R> send(Check check, String route, Supplier<HttpResponseFor<T>> call, Function<T, R> read,
                                  int maxRetries) {
        for (int attempt = 0; ; attempt++) {
            try (HttpResponseFor<T> response = call.get()) {
                Seen answer = record(check, route, response.statusCode(), response.headers().asMap());
                try {
                    return CallOutcome.ok(read.apply(response.parse()), answer);
                } catch (OpenAIException | IllegalStateException | IllegalArgumentException e) {
                    return CallOutcome.broken("a " + answer.status() + " answer the SDK could not read: "
                            + Text.truncate(String.valueOf(e.getMessage())), answer);
                }
            } catch (OpenAIServiceException e) {
                Seen answer = record(check, route, e.statusCode(), e.headers().asMap());
                ApiError error = ApiError.of(e);
                Optional<Duration> wait = retryWait(answer, error, attempt, maxRetries);
                if (wait.isEmpty()) {
                    return CallOutcome.failed(error, answer);
                }
                retried.incrementAndGet();
                try {
                    time.sleep(wait.get());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return CallOutcome.failed(error, answer);
                }
            } catch (OpenAIIoException e) {
                return CallOutcome.broken("no answer from " + baseUrl + ": " + Text.truncate(rootMessage(e)), null);
            } catch (OpenAIException e) {
                return CallOutcome.broken("the SDK failed: " + Text.truncate(rootMessage(e)), null);
            }
        }
    }

    /**
     * How long to wait before retrying, or empty to give up. Like OpenAI's SDKs: 429 and 503 are
     * retried, after Retry-After when it is given and otherwise after 1, 2, 4... seconds; never a
     * quota refusal (insufficient_quota, or {@code x-should-retry: false}), and never longer than
     * {@link #MAX_WAIT}.
     */
    static Optional<Duration> retryWait(Seen answer, ApiError error, int attempt, int retries) {
        if (attempt >= retries || (answer.status() != 429 && answer.status() != 503)) {
            return Optional.empty();
        }
        if ("insufficient_quota".equals(error.code())
                || answer.header(Headers.X_SHOULD_RETRY).map(v -> v.trim().equalsIgnoreCase("false")).orElse(false)) {
            return Optional.empty();
        }
        Duration wait = answer.header(Headers.RETRY_AFTER).flatMap(RateLimitHeaders::retryAfterSeconds)
                .map(Duration::ofSeconds)
                .orElse(Duration.ofSeconds(1L << Math.min(attempt, 5)));
        return wait.compareTo(MAX_WAIT) > 0 ? Optional.empty() : Optional.of(wait);
    }

    private Seen record(Check check, String route, int status, Map<String, List<String>> headers) {
        Seen answer = new Seen(check, route, status, headers);
        seen.add(answer);
        return answer;
    }

    /** Adds the usage.total_tokens of an answer. */
    void spent(long totalTokens) {
        tokens.addAndGet(totalTokens);
    }

    long tokens() {
        return tokens.get();
    }

    int retried() {
        return retried.get();
    }

    /** Every answer so far, in arrival order. */
    List<Seen> seen() {
        return new ArrayList<>(seen);
    }

    /**
     * A route as OpenAI's API reference names it, {@code GET /v1/models} for ("GET", "/models"): the
     * base URL ends in {@code /v1} (the stack's {@code baseUrl} output), whatever the stage before it.
     */
    static String route(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " /v1" + path;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return message;
    }

    @Override
    public void close() {
        clients.values().forEach(OpenAIClient::close);
        clients.clear();
    }
}
