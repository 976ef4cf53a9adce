package io.llmgateway.backend.chat;

import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a chat model can do beyond Converse's common ground, by model family: how it takes a reasoning
 * effort, and whether Bedrock constrains its output to a JSON schema.
 */
final class ModelFeatures {

    /** OpenAI's {@code reasoning_effort} values this gateway maps; {@code none} asks for no reasoning. */
    static final List<String> EFFORTS = List.of("none", "minimal", "low", "medium", "high");

    /**
     * Anthropic's minimum thinking budget (Anthropic docs, "Building with extended thinking":
     * {@code budget_tokens} must be at least 1024 and below {@code max_tokens}).
     */
    static final int MIN_THINKING_BUDGET = 1024;

    /** Claude models with extended thinking: 3.7 Sonnet and the 4 family onwards. */
    private static final Pattern CLAUDE_THINKING = Pattern.compile(
            "anthropic\\.claude-(3-7-sonnet|(sonnet|opus|haiku)-[4-9]).*");
    /**
     * Claude models with Bedrock's structured outputs (Bedrock user guide, "Get validated JSON results
     * from models": Claude Haiku 4.5, Sonnet 4.5, Opus 4.5 and Opus 4.6), and later versions.
     */
    private static final Pattern CLAUDE_STRUCTURED = Pattern.compile(
            "anthropic\\.claude-(sonnet|opus|haiku)-(4-[5-9]|[5-9])([-.].*|$)");

    /**
     * The system prompt Anthropic adds to a request that offers tools, in tokens, by model and tool
     * choice (Anthropic docs, "Tool use with Claude", pricing: "Tool use system prompt token count"):
     * auto, then any or tool. Billed as input, so the input estimate counts it. First match wins; a
     * Claude model the table does not list gets its largest counts.
     */
    private static final List<ToolPrompt> TOOL_PROMPTS = List.of(
            new ToolPrompt(Pattern.compile("anthropic\\.claude-3-opus.*"), 530, 281),
            new ToolPrompt(Pattern.compile("anthropic\\.claude-3-sonnet.*"), 159, 235),
            new ToolPrompt(Pattern.compile("anthropic\\.claude-3-(5-)?haiku.*"), 264, 340),
            // 3.5 Sonnet is no longer in the table; it had 3.7 Sonnet's counts or less.
            new ToolPrompt(Pattern.compile("anthropic\\.claude-3-[57]-sonnet.*"), 346, 313),
            new ToolPrompt(Pattern.compile("anthropic\\.claude-(sonnet|opus|haiku)-[4-9].*"), 346, 313),
            new ToolPrompt(Pattern.compile("anthropic\\.claude.*"), 530, 340));

    private record ToolPrompt(Pattern model, int auto, int forced) {
    }

    private ModelFeatures() {
    }

    /**
     * The tokens a provider adds to a request that offers tools, as its own system prompt: Anthropic's,
     * by model and tool choice ({@link #TOOL_PROMPTS}); 0 for the families that document none.
     *
     * @param choice how the call offers its tools; null when it offers none
     */
    static int toolUseSystemPromptTokens(String modelId, ConverseMapping.OfferedChoice choice) {
        if (choice == null) {
            return 0;
        }
        String model = foundation(modelId);
        for (ToolPrompt prompt : TOOL_PROMPTS) {
            if (prompt.model().matcher(model).matches()) {
                return choice == ConverseMapping.OfferedChoice.AUTO ? prompt.auto() : prompt.forced();
            }
        }
        return 0;
    }

    private static String foundation(String modelId) {
        String id = BedrockModelId.looksValid(modelId) ? new BedrockModelId(modelId).foundationModelId() : modelId;
        return id.toLowerCase(Locale.ROOT);
    }

    /**
     * True when Converse's {@code outputConfig.textFormat} constrains this model's answer to a JSON
     * schema. For other models the schema goes in as a forced tool, whose input Bedrock always returns as
     * a JSON object, but which only the model's own care makes match the schema.
     */
    static boolean hasStructuredOutput(String modelId) {
        return CLAUDE_STRUCTURED.matcher(foundation(modelId)).matches();
    }

    /**
     * The reasoning configuration for an effort, as the model family takes it in
     * {@code additionalModelRequestFields}:
     * <ul>
     *   <li>Claude 3.7 Sonnet and Claude 4 onwards: {@code thinking: {type: enabled, budget_tokens}}
     *       with 1024 tokens for minimal and low, 4096 for medium, 16384 for high, and never more than
     *       {@code maxTokens - 1} (the budget is part of max_tokens, as OpenAI counts reasoning tokens);</li>
     *   <li>Amazon Nova 2: {@code reasoningConfig: {type: enabled, maxReasoningEffort: low|medium|high}}
     *       (Amazon Nova user guide, "Extended thinking"; minimal is low);</li>
     *   <li>OpenAI gpt-oss: {@code reasoning_effort: low|medium|high} (minimal is low).</li>
     * </ul>
     *
     * @return null for {@code none}
     * @throws RequestError 400 for another model, or when max_tokens leaves no room for Claude's minimum budget
     */
    static ChatRequest.Reasoning reasoning(String alias, String modelId, String effort, int maxTokens)
            throws RequestError {
        if (effort.equals("none")) {
            return null;
        }
        String model = foundation(modelId);
        String level = effort.equals("minimal") ? "low" : effort;
        Map<String, Object> fields = new LinkedHashMap<>();
        if (CLAUDE_THINKING.matcher(model).matches()) {
            int budget = switch (effort) {
                case "medium" -> 4096;
                case "high" -> 16384;
                default -> MIN_THINKING_BUDGET;
            };
            budget = Math.min(budget, maxTokens - 1);
            if (budget < MIN_THINKING_BUDGET) {
                throw new RequestError(OpenAiError.invalidValue("max_completion_tokens", "Reasoning on "
                        + Text.quote(alias) + " needs max_completion_tokens above " + MIN_THINKING_BUDGET
                        + " (the model's smallest reasoning budget), but this request allows " + maxTokens + "."));
            }
            Map<String, Object> thinking = new LinkedHashMap<>();
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget);
            fields.put("thinking", thinking);
        } else if (model.startsWith("amazon.nova-2-")) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("type", "enabled");
            config.put("maxReasoningEffort", level);
            fields.put("reasoningConfig", config);
        } else if (model.startsWith("openai.gpt-oss-")) {
            fields.put("reasoning_effort", level);
        } else {
            throw new RequestError(OpenAiError.unsupported("reasoning_effort", "The model " + Text.quote(alias)
                    + " takes no reasoning effort through this gateway; reasoning_effort works with Claude 3.7 Sonnet "
                    + "and Claude 4 or later, Amazon Nova 2 and OpenAI gpt-oss models."));
        }
        return new ChatRequest.Reasoning(effort, fields);
    }

    /**
     * The reasoning a request keeps when its max_tokens is lowered (token metering leaves less than was
     * asked). Claude's thinking budget must stay below max_tokens and at least
     * {@value #MIN_THINKING_BUDGET} (Anthropic docs, "Extended thinking"), or Bedrock refuses the call
     * with a 400: the budget is lowered to {@code maxTokens - 1}, and reasoning is dropped when even the
     * minimum no longer fits. The other families take an effort, not a budget, and keep it.
     *
     * @return the reasoning to send, or null for none
     */
    static ChatRequest.Reasoning fitted(ChatRequest.Reasoning reasoning, int maxTokens) {
        if (reasoning == null || !(reasoning.fields().get("thinking") instanceof Map<?, ?> thinking)
                || !(thinking.get("budget_tokens") instanceof Integer budget) || budget < maxTokens) {
            return reasoning;
        }
        if (maxTokens - 1 < MIN_THINKING_BUDGET) {
            return null;
        }
        Map<String, Object> lowered = new LinkedHashMap<>();
        thinking.forEach((key, value) -> lowered.put((String) key, value));
        lowered.put("budget_tokens", maxTokens - 1);
        Map<String, Object> fields = new LinkedHashMap<>(reasoning.fields());
        fields.put("thinking", lowered);
        return new ChatRequest.Reasoning(reasoning.effort(), fields);
    }
}
