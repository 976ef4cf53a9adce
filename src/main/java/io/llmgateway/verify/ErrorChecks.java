package io.llmgateway.verify;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.common.Text;
import io.llmgateway.verify.Replies.Reply;
import java.util.function.Predicate;

/**
 * The errors a client must be able to tell apart, each with OpenAI's status and code: a wrong key, an
 * unknown model, a bad body and an unknown URL.
 */
final class ErrorChecks {

    /** Names no alias: a gateway must answer 404 model_not_found, not 500 or a default model. */
    static final String UNKNOWN_MODEL = "verify-no-such-model";
    /** A path no gateway serves, under the base URL. */
    static final String UNKNOWN_PATH = "/verify-no-such-path";
    /** A well-formed key no plan holds. */
    static final String WRONG_KEY = "sk-verify-wrong-key-0000000000000000";
    /** OpenAI's documented range for temperature is 0 to 2. */
    static final double BAD_TEMPERATURE = 5.0;

    private final Checker checker;

    ErrorChecks(Checker checker) {
        this.checker = checker;
    }

    CheckResult wrongKey() {
        long started = checker.start();
        CallOutcome<Integer> a = checker.session().send(Check.ERROR_API_KEY, Session.route("GET", "/models"),
                () -> checker.session().client(WRONG_KEY).models().withRawResponse().list(),
                page -> page.data().size());
        return expectError(Check.ERROR_API_KEY, started, a, 401, "invalid_api_key", e -> true, "");
    }

    CheckResult unknownModel() {
        long started = checker.start();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(UNKNOWN_MODEL)
                .addUserMessage(ChatChecks.PROMPT).maxCompletionTokens(1).build();
        CallOutcome<Reply> a = checker.create(Check.ERROR_MODEL, params);
        return expectError(Check.ERROR_MODEL, started, a, 404, "model_not_found", e -> true,
                " for model " + Text.quote(UNKNOWN_MODEL));
    }

    CheckResult badBody(String model) {
        long started = checker.start();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model)
                .addUserMessage(ChatChecks.PROMPT)
                .temperature(BAD_TEMPERATURE).maxCompletionTokens(1).build();
        CallOutcome<Reply> a = checker.create(Check.ERROR_BODY, params);
        return expectError(Check.ERROR_BODY, started, a, 400, null,
                e -> "temperature".equals(e.param()) || (e.message() != null && e.message().contains("temperature")),
                " naming 'temperature' in error.param or error.message, for temperature " + Text.number(BAD_TEMPERATURE));
    }

    CheckResult unknownUrl() {
        long started = checker.start();
        String base = checker.session().baseUrl() + UNKNOWN_PATH;
        CallOutcome<Integer> a = checker.session().send(Check.ERROR_URL, Session.route("GET", UNKNOWN_PATH + "/models"),
                () -> checker.session().clientAt(base, checker.settings().apiKey()).models().withRawResponse().list(),
                page -> page.data().size());
        return expectError(Check.ERROR_URL, started, a, 404, "unknown_url", e -> true,
                " for GET " + UNKNOWN_PATH + "/models under the base URL");
    }

    private CheckResult expectError(Check check, long started, CallOutcome<?> a, int status, String code,
                                    Predicate<ApiError> more, String context) {
        String expected = status + (code == null ? "" : " " + code) + context;
        if (a.error() != null && a.error().status() == status && (code == null || code.equals(a.error().code()))
                && more.test(a.error())) {
            ApiError e = a.error();
            return checker.pass(check, started, status + " " + (e.code() != null ? e.code() : e.type())
                    + (e.param() != null ? " (param " + e.param() + ")" : ""), a);
        }
        if (a.ok()) {
            return CheckResult.fail(check, checker.elapsed(started), "accepted: " + a.seen().status(), expected,
                    a.seen().status() + ": the request was accepted", a.requestId());
        }
        return checker.failed(check, started, expected, a);
    }
}
