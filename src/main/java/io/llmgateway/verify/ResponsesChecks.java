package io.llmgateway.verify;

import static io.llmgateway.verify.Checker.expect;
import static io.llmgateway.verify.Checker.quoted;

import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** OpenAI's Responses API ({@code POST /v1/responses}), buffered and streamed, judged as OpenAI documents it. */
final class ResponsesChecks {

    private static final String ROUTE = Session.route("POST", "/responses");
    private static final Set<String> TEXT_ENDINGS = Set.of("completed", "incomplete");

    private final Checker checker;

    ResponsesChecks(Checker checker) {
        this.checker = checker;
    }

    /** What the checks read of a Response object. */
    record Answer(String object, String id, String status, String text, long input, long output, long total,
                  boolean usage) {
        static Answer of(Response r) {
            String text = r.output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
                    .flatMap(c -> c.outputText().stream()).map(ResponseOutputText::text).collect(Collectors.joining());
            String object = r._object_().convert(String.class);
            String status = r.status().map(s -> s.asString()).orElse(null);
            return r.usage().map(u -> new Answer(object, r.id(), status, text, u.inputTokens(), u.outputTokens(),
                    u.totalTokens(), true)).orElseGet(() -> new Answer(object, r.id(), status, text, 0, 0, 0, false));
        }
    }

    /** What the stream check reads of a stream: the event types, every response id seen, the text deltas, the end. */
    record Streamed(List<String> types, Set<String> ids, String deltas, Answer last) {
    }

    private ResponseCreateParams params(String model) {
        return ResponseCreateParams.builder().model(model).input(ChatChecks.PROMPT)
                .maxOutputTokens(checker.settings().maxTokens()).build();
    }

    CheckResult create(String model) {
        long started = checker.start();
        CallOutcome<Answer> a = checker.session().send(Check.RESPONSES, ROUTE,
                () -> checker.client().responses().withRawResponse().create(params(model)), Answer::of);
        String expected = "200 response object: status completed or incomplete, a message with output_text, usage"
                + " with total = input + output and output <= max_output_tokens " + checker.settings().maxTokens();
        if (!a.ok()) {
            return checker.failed(Check.RESPONSES, started, expected, a);
        }
        Answer r = a.value();
        checker.session().spent(r.total());
        List<String> problems = new ArrayList<>();
        answerProblems(problems, r);
        if (!problems.isEmpty()) {
            return checker.wrong(Check.RESPONSES, started, expected, problems, a);
        }
        return checker.pass(Check.RESPONSES, started, "status " + r.status() + ", " + r.input() + " + " + r.output()
                + " tokens", a);
    }

    private void answerProblems(List<String> problems, Answer r) {
        expect(problems, "response".equals(r.object()), "object is " + quoted(r.object()));
        expect(problems, r.id() != null && r.id().startsWith("resp_"), "id is " + quoted(r.id()));
        expect(problems, TEXT_ENDINGS.contains(r.status()), "status is " + quoted(r.status()));
        expect(problems, !r.text().isEmpty(), "no message with output_text");
        expect(problems, r.usage(), "usage is missing");
        expect(problems, r.total() == r.input() + r.output(), "usage.total_tokens " + r.total() + " is not input "
                + r.input() + " + output " + r.output());
        expect(problems, r.output() <= checker.settings().maxTokens(), "usage.output_tokens " + r.output()
                + " is above max_output_tokens " + checker.settings().maxTokens());
    }

    CheckResult stream(String model) {
        long started = checker.start();
        CallOutcome<Streamed> a = checker.session().send(Check.RESPONSES_STREAM, ROUTE,
                () -> checker.client().responses().withRawResponse().createStreaming(params(model)),
                ResponsesChecks::read);
        String expected = "200 event stream: response.created first, one response id throughout, text deltas that"
                + " add up to the message, and response.completed (or .incomplete) last with the whole response";
        if (!a.ok()) {
            return checker.failed(Check.RESPONSES_STREAM, started, expected, a);
        }
        Streamed s = a.value();
        checker.session().spent(s.last() == null ? 0 : s.last().total());
        List<String> problems = new ArrayList<>();
        expect(problems, !s.types().isEmpty() && s.types().get(0).equals("response.created"),
                "the first event is " + (s.types().isEmpty() ? "missing" : quoted(s.types().get(0))));
        String end = s.types().isEmpty() ? null : s.types().get(s.types().size() - 1);
        expect(problems, "response.completed".equals(end) || "response.incomplete".equals(end),
                "the last event is " + quoted(end));
        expect(problems, s.ids().size() == 1, "the response ids are " + s.ids());
        if (s.last() != null) {
            answerProblems(problems, s.last());
            expect(problems, s.last().text().equals(s.deltas()), "the text deltas " + quoted(s.deltas())
                    + " are not the message " + quoted(s.last().text()));
        }
        if (!problems.isEmpty()) {
            return checker.wrong(Check.RESPONSES_STREAM, started, expected, problems, a);
        }
        return checker.pass(Check.RESPONSES_STREAM, started, s.types().size() + " events, " + end, a);
    }

    @SuppressWarnings("unchecked")
    private static Streamed read(StreamResponse<ResponseStreamEvent> stream) {
        List<String> types = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        StringBuilder deltas = new StringBuilder();
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (stream) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                Object json = event._json().map(j -> j.convert(Map.class)).orElse(null);
                if (json instanceof Map<?, ?> map) {
                    types.add(String.valueOf(map.get("type")));
                    if (map.get("response") instanceof Map<?, ?> response) {
                        ids.add(String.valueOf(response.get("id")));
                    }
                    if ("response.output_text.delta".equals(map.get("type"))) {
                        deltas.append(map.get("delta"));
                    }
                }
            });
        }
        Answer last = types.isEmpty() ? null : Answer.of(accumulator.response());
        return new Streamed(types, ids, deltas.toString(), last);
    }
}
