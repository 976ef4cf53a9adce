package io.llmgateway.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The checks a client relies on, sent with the official OpenAI Java SDK and judged against OpenAI's
 * documented behaviour (API reference, https://platform.openai.com/docs/api-reference) and the
 * gateway's contract (docs/openai-compatibility.md, "Errors: one contract"), in the order of {@link Check}:
 * the models ({@link ModelChecks}), chat ({@link ChatChecks}), tools ({@link ToolChecks}), embeddings
 * ({@link EmbeddingCheck}) and the errors ({@link ErrorChecks}). The header checks judge every answer
 * at the end ({@link HeaderChecks}).
 */
final class Conformance {

    /**
     * @param apiKey         the client's key
     * @param model          the chat model to use, or null for the first one listed
     * @param embeddingModel the embedding model, or null for the first listed id containing "embed"
     * @param maxTokens      max_completion_tokens of the chat checks
     * @param toolMaxTokens  max_completion_tokens of the tool checks (arguments need a few more)
     */
    record Settings(String apiKey, String model, String embeddingModel, long maxTokens, long toolMaxTokens) {
        Settings {
            Objects.requireNonNull(apiKey, "apiKey");
        }
    }

    private final Checker checker;
    private final Settings settings;
    private String model;

    Conformance(Session session, Settings settings) {
        this.checker = new Checker(session, settings);
        this.settings = settings;
    }

    /** Runs every check but the header checks, which judge all answers at the end. */
    List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        checker.client(); // builds the SDK client before the first check's clock starts
        ModelChecks models = new ModelChecks(checker);
        List<String> listed = new ArrayList<>();
        results.add(models.modelsList(listed));
        model = settings.model() != null ? settings.model() : firstChatModel(listed);
        if (model == null) {
            String why = "no model to use: " + (listed.isEmpty() ? "models.list gave none" : "every listed model"
                    + " looks like an embedding model") + "; pass --model NAME";
            for (Check c : List.of(Check.MODELS_RETRIEVE, Check.CHAT, Check.CHAT_STREAM, Check.TOOLS_ROUND_TRIP,
                    Check.TOOLS_STREAM, Check.RESPONSES, Check.RESPONSES_STREAM, Check.ERROR_BODY)) {
                results.add(CheckResult.skip(c, why));
            }
        } else {
            ChatChecks chat = new ChatChecks(checker);
            ToolChecks tools = new ToolChecks(checker);
            results.add(models.modelsRetrieve(model));
            results.add(chat.chat(model));
            results.add(chat.chatStream(model));
            results.add(tools.toolsRoundTrip(model));
            results.add(tools.toolsStream(model));
            ResponsesChecks responses = new ResponsesChecks(checker);
            results.add(responses.create(model));
            results.add(responses.stream(model));
        }
        results.add(new EmbeddingCheck(checker).embeddings(listed));
        ErrorChecks errors = new ErrorChecks(checker);
        results.add(errors.wrongKey());
        results.add(errors.unknownModel());
        if (model != null) {
            results.add(errors.badBody(model));
        }
        results.add(errors.unknownUrl());
        return results;
    }

    /** The chat model the checks used, or null when there was none; known after {@link #run()}. */
    String model() {
        return model;
    }

    /** The model the chat checks use when none is named: the first listed that is not an embedding model. */
    static String firstChatModel(List<String> ids) {
        return ids.stream().filter(id -> !isEmbeddingModel(id)).findFirst().orElse(null);
    }

    static boolean isEmbeddingModel(String id) {
        return id.toLowerCase(Locale.ROOT).contains("embed");
    }
}
