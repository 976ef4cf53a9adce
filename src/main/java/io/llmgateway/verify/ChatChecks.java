package io.llmgateway.verify;

import static io.llmgateway.verify.Checker.expect;
import static io.llmgateway.verify.Checker.quoted;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.llmgateway.verify.Replies.Chunk;
import io.llmgateway.verify.Replies.Delta;
import io.llmgateway.verify.Replies.Reply;
import io.llmgateway.verify.Replies.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Chat completions, buffered and streamed, judged as OpenAI documents them. */
final class ChatChecks {

    static final String PROMPT = "Reply with one word: ready.";
    /** How a text answer ends. */
    static final Set<String> TEXT_ENDINGS = Set.of("stop", "length");

    private final Checker checker;

    ChatChecks(Checker checker) {
        this.checker = checker;
    }

    CheckResult chat(String model) {
        long started = checker.start();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT)
                .maxCompletionTokens(checker.settings().maxTokens()).build();
        CallOutcome<Reply> a = checker.create(Check.CHAT, params);
        String expected = "200 chat.completion: message.content, finish_reason stop or length, usage with total ="
                + " prompt + completion and completion <= max_completion_tokens " + checker.settings().maxTokens();
        if (!a.ok()) {
            return checker.failed(Check.CHAT, started, expected, a);
        }
        Reply r = a.value();
        List<String> problems = new ArrayList<>();
        expect(problems, "chat.completion".equals(r.object()), "object is " + quoted(r.object()));
        expect(problems, r.choices() >= 1, "no choices");
        if (r.choices() >= 1) {
            expect(problems, r.content() != null, "message.content is missing");
            expect(problems, TEXT_ENDINGS.contains(r.finishReason()), "finish_reason is " + quoted(r.finishReason()));
        }
        usageProblems(problems, r.usage());
        if (!problems.isEmpty()) {
            return checker.wrong(Check.CHAT, started, expected, problems, a);
        }
        return checker.pass(Check.CHAT, started, "finish_reason " + r.finishReason() + ", " + r.usage(), a);
    }

    private void usageProblems(List<String> problems, Usage usage) {
        if (usage == null) {
            problems.add("usage is missing");
            return;
        }
        expect(problems, usage.total() == usage.prompt() + usage.completion(),
                "usage.total_tokens " + usage.total() + " is not prompt " + usage.prompt() + " + completion " + usage.completion());
        long maxTokens = checker.settings().maxTokens();
        expect(problems, usage.completion() <= maxTokens, "usage.completion_tokens " + usage.completion()
                + " is above max_completion_tokens " + maxTokens);
    }

    CheckResult chatStream(String model) {
        long started = checker.start();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT)
                .maxCompletionTokens(checker.settings().maxTokens())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        CallOutcome<Replies.Streamed> a = checker.stream(Check.CHAT_STREAM, params);
        String expected = "200 event stream of chat.completion.chunk: content, exactly one finish_reason (stop or"
                + " length), and a last chunk with usage and no choices";
        if (!a.ok()) {
            return checker.failed(Check.CHAT_STREAM, started, expected, a);
        }
        List<Chunk> chunks = a.value().chunks();
        List<String> problems = new ArrayList<>();
        streamShape(problems, chunks);
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(Delta::content).filter(Objects::nonNull)
                .collect(Collectors.joining());
        expect(problems, !text.isEmpty(), "no content in any delta");
        List<String> endings = finishReasons(chunks);
        expect(problems, endings.size() == 1 && TEXT_ENDINGS.contains(endings.get(0)),
                "finish_reason values " + endings + ", expected exactly one of stop or length");
        Usage usage = streamUsage(problems, chunks);
        if (usage != null) {
            usageProblems(problems, usage);
        }
        if (!problems.isEmpty()) {
            return checker.wrong(Check.CHAT_STREAM, started, expected, problems, a);
        }
        return checker.pass(Check.CHAT_STREAM, started, chunks.size() + " chunks, finish_reason " + endings.get(0)
                + ", " + usage + ", " + timing(a.value()), a);
    }

    /**
     * Time to first content against the total, as the client saw them: on a streaming deployment the
     * first content comes long before the end of a long answer; equal times mean the answer was buffered.
     */
    static String timing(Replies.Streamed streamed) {
        long first = streamed.firstContentNanos() < 0 ? -1 : streamed.firstContentNanos() / 1_000_000;
        return "first content " + first + " ms of " + streamed.totalNanos() / 1_000_000 + " ms total";
    }

    static void streamShape(List<String> problems, List<Chunk> chunks) {
        expect(problems, !chunks.isEmpty(), "no chunks before [DONE]");
        chunks.stream().map(Chunk::object).filter(o -> !"chat.completion.chunk".equals(o)).findFirst()
                .ifPresent(o -> problems.add("a chunk has object " + quoted(o)));
    }

    static List<String> finishReasons(List<Chunk> chunks) {
        return chunks.stream().flatMap(c -> c.choices().stream()).map(Delta::finishReason).filter(Objects::nonNull)
                .toList();
    }

    /**
     * With {@code stream_options.include_usage}, OpenAI sends usage on one extra chunk before
     * {@code [DONE]}, whose choices are empty; every other chunk has usage null (API reference,
     * "Create chat completion", stream_options).
     */
    static Usage streamUsage(List<String> problems, List<Chunk> chunks) {
        if (chunks.isEmpty()) {
            return null;
        }
        Chunk last = chunks.get(chunks.size() - 1);
        if (last.usage() == null) {
            problems.add("the last chunk has no usage (stream_options.include_usage was true)");
            return null;
        }
        expect(problems, last.choices().isEmpty(), "the usage chunk has " + last.choices().size() + " choices, not none");
        long earlier = chunks.subList(0, chunks.size() - 1).stream().filter(c -> c.usage() != null).count();
        expect(problems, earlier == 0, earlier + " chunks before the last carry usage");
        return last.usage();
    }
}
