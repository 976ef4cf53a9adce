package io.llmgateway.verify;

import com.openai.core.JsonValue;
import com.openai.errors.OpenAIServiceException;
import io.llmgateway.common.Text;
import java.util.Map;
import java.util.Optional;

/**
 * An error answer as the SDK raised it: the status and OpenAI's {@code error} fields.
 *
 * @param status  the HTTP status
 * @param code    {@code error.code}, or null
 * @param type    {@code error.type}, or null
 * @param param   {@code error.param}, or null
 * @param message {@code error.message}, or null when the body had none
 */
record ApiError(int status, String code, String type, String param, String message) {

    static ApiError of(OpenAIServiceException e) {
        return new ApiError(e.statusCode(), e.code().orElse(null), e.type().orElse(null), e.param().orElse(null),
                message(e.body()).orElse(null));
    }

    /** {@code error.message}, read from the body as plain maps (JsonValue extends the SDK's JsonField raw). */
    private static Optional<String> message(JsonValue body) {
        Object tree;
        try {
            tree = body.convert(Object.class);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        // The SDK hands over the body's "error" object; a body of another shape may come whole.
        if (tree instanceof Map<?, ?> root && root.get("error") instanceof Map<?, ?> error) {
            tree = error;
        }
        if (tree instanceof Map<?, ?> error && error.get("message") instanceof String message) {
            return Optional.of(message);
        }
        return Optional.empty();
    }

    /** {@code 503 service_unavailable}; {@code not served: 404 unknown_url} when the gateway has no such route. */
    String summary() {
        return ("unknown_url".equals(code) ? "not served: " : "") + status + " "
                + (code != null ? code : type != null ? type : "(no error code)");
    }

    /** The summary with the field at fault and the message: {@code 400 invalid_value (param temperature): '...'}. */
    String describe() {
        StringBuilder s = new StringBuilder(summary());
        if (param != null) {
            s.append(" (param ").append(param).append(')');
        }
        if (message != null) {
            s.append(": ").append(Text.quote(message));
        }
        return s.toString();
    }
}
