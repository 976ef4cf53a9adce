package io.llmgateway.verify;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.common.Text;
import io.llmgateway.verify.Replies.Chunk;
import io.llmgateway.verify.Replies.Reply;
import java.util.List;

/**
 * What every conformance check does alike: send with the official OpenAI SDK as the client, count the
 * tokens a call spent, and turn what came back into a {@link CheckResult} (a pass, no usable answer, or
 * an answer that breaks the contract), timed on the session's clock.
 */
final class Checker {

    private final Session session;
    private final Conformance.Settings settings;

    Checker(Session session, Conformance.Settings settings) {
        this.session = session;
        this.settings = settings;
    }

    Session session() {
        return session;
    }

    Conformance.Settings settings() {
        return settings;
    }

    OpenAIClient client() {
        return session.client(settings.apiKey());
    }

    /** When a check starts, on the session's clock. */
    long start() {
        return session.time().nanoTime();
    }

    CallOutcome<Reply> create(Check check, ChatCompletionCreateParams params) {
        CallOutcome<Reply> a = session.send(check, Session.route("POST", "/chat/completions"),
                () -> client().chat().completions().withRawResponse().create(params), Reply::of);
        if (a.ok() && a.value().usage() != null) {
            session.spent(a.value().usage().total());
        }
        return a;
    }

    /** A streamed call, timed as its chunks arrive: time to first content against the total. */
    CallOutcome<Replies.Streamed> stream(Check check, ChatCompletionCreateParams params) {
        long sent = session.time().nanoTime();
        CallOutcome<Replies.Streamed> a = session.send(check, Session.route("POST", "/chat/completions"),
                () -> client().chat().completions().withRawResponse().createStreaming(params),
                stream -> {
                    long[] firstContent = {-1};
                    try (stream) {
                        List<Chunk> chunks = stream.stream().map(Chunk::of).peek(chunk -> {
                            if (firstContent[0] < 0 && chunk.choices().stream().anyMatch(d -> d.content() != null
                                    && !d.content().isEmpty())) {
                                firstContent[0] = session.time().nanoTime() - sent;
                            }
                        }).toList();
                        return new Replies.Streamed(chunks, firstContent[0], session.time().nanoTime() - sent);
                    }
                });
        if (a.ok()) {
            a.value().chunks().stream().filter(c -> c.usage() != null).reduce((x, y) -> y)
                    .ifPresent(c -> session.spent(c.usage().total()));
        }
        return a;
    }

    static void expect(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    static String quoted(String s) {
        return s == null ? "missing" : Text.quote(s);
    }

    long elapsed(long started) {
        return session.time().nanoTime() - started;
    }

    CheckResult pass(Check check, long started, String detail, CallOutcome<?> a) {
        return CheckResult.pass(check, elapsed(started), detail, a.requestId());
    }

    /** No usable answer, or an error answer. */
    CheckResult failed(Check check, long started, String expected, CallOutcome<?> a) {
        String summary = a.error() != null ? a.error().summary() : Text.truncate(a.describe());
        return CheckResult.fail(check, elapsed(started), summary, expected, a.describe(), a.requestId());
    }

    /** A 2xx answer that breaks the contract. */
    CheckResult wrong(Check check, long started, String expected, List<String> problems, CallOutcome<?> a) {
        return CheckResult.fail(check, elapsed(started), Text.truncate(problems.get(0)), expected,
                String.join("; ", problems), a.requestId());
    }
}
