package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.Map;

/**
 * A client's prompt-cache marker, {@code cache_control: {"type": "ephemeral", "ttl": "5m" | "1h"}}, on a
 * content part or a tool, as Anthropic's API defines it and OpenAI-compatible gateways (LiteLLM,
 * OpenRouter) accept it in Chat Completions: the content up to and including the marked part is
 * cached. It becomes a Converse {@code cachePoint} after that block ({@link CachePlacement}).
 */
final class CacheControl {

    static final String KEY = "cache_control";

    private CacheControl() {
    }

    /**
     * @param holder the content part or tool that may carry the marker
     * @param at     its path, for errors
     * @return null when it carries none; else whether it asks for the 1-hour TTL
     * @throws RequestError a 400 naming the field when the marker is not one
     */
    static Boolean read(Map<?, ?> holder, String at) throws RequestError {
        Object value = holder.get(KEY);
        if (value == null) {
            return null;
        }
        String param = at + "." + KEY;
        if (!(value instanceof Map<?, ?> control)) {
            throw typeError(param, "an object", value);
        }
        for (Object key : control.keySet()) {
            if (!"type".equals(key) && !"ttl".equals(key)) {
                throw new RequestError(OpenAiError.invalidValue(param + "." + key, "Unknown field "
                        + Text.quote(String.valueOf(key)) + " in " + param + "; it takes 'type' and 'ttl'."));
            }
        }
        Object type = control.get("type");
        if (type == null) {
            throw new RequestError(OpenAiError.missingParameter(param + ".type"));
        }
        if (!"ephemeral".equals(type)) {
            throw new RequestError(OpenAiError.invalidValue(param + ".type", "Invalid value: "
                    + Text.quote(String.valueOf(type)) + ". Supported values are: 'ephemeral'."));
        }
        Object ttl = control.get("ttl");
        if (ttl == null || "5m".equals(ttl)) {
            return false;
        }
        if ("1h".equals(ttl)) {
            return true;
        }
        throw new RequestError(OpenAiError.invalidValue(param + ".ttl", "Invalid value: "
                + Text.quote(String.valueOf(ttl)) + ". Supported values are: '5m' and '1h'."));
    }
}
