package io.llmgateway.backend.responses;

import io.llmgateway.backend.chat.ChatRequest;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reasoning item's {@code encrypted_content}: how Bedrock's reasoning block travels through a client
 * that keeps no state on the server ({@code store: false}, as Codex and the Agents SDK run) and comes back
 * on the next request. Claude checks the reasoning text and its signature together, and wants them back
 * on the turn that called a tool (Bedrock user guide, "Extended thinking"), so both are carried, exactly:
 * base64url of {@code {"t": text, "s": signature}} or {@code {"r": redacted bytes in base64}}, after a
 * prefix that marks the gateway's own. It is opaque to clients, not secret: it is the model's own
 * reasoning, which the answer's summary already shows. Content another provider encrypted cannot go to
 * Bedrock and is left out, as OpenAI leaves out reasoning across models.
 */
final class EncryptedReasoning {

    static final String PREFIX = "llmgw.r1.";

    private EncryptedReasoning() {
    }

    static String encode(String text, String signature, byte[] redacted) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (redacted != null) {
            json.put("r", Base64.getEncoder().encodeToString(redacted));
        } else {
            json.put("t", text == null ? "" : text);
            json.put("s", signature);
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(json));
    }

    /** The reasoning block this content carries, or null when it is not the gateway's (or damaged). */
    static ChatRequest.Thinking decode(String content) {
        if (content == null || !content.startsWith(PREFIX)) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(content.substring(PREFIX.length()));
            Map<String, Object> json = Json.readObject(new String(bytes, StandardCharsets.UTF_8));
            if (json.get("r") instanceof String redacted) {
                return new ChatRequest.Thinking(null, null, Base64.getDecoder().decode(redacted));
            }
            if (json.get("t") instanceof String text && json.get("s") instanceof String signature) {
                return new ChatRequest.Thinking(text, signature, null);
            }
            return null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
