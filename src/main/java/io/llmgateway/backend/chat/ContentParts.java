package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message's {@code content} as chat's {@code messages} and the Responses API's {@code input} items both
 * take it: a non-empty string, or an array of objects that each have a string {@code type}. What the types
 * may be is the caller's to check.
 */
public final class ContentParts {

    private ContentParts() {
    }

    /** What a caller makes of one part, checked as it comes (a part's error comes before a later part's). */
    @FunctionalInterface
    public interface PartReader<T> {
        /**
         * @param at   where the part stands: {@code param[j]}, or {@code param} for a string content
         * @param type the part's type
         */
        T read(Map<?, ?> part, String at, String type) throws RequestError;
    }

    /** The parts as they are, each checked to be an object with a string type. */
    public static List<Map<?, ?>> read(Object content, String param, String stringType, boolean takesEmptyList)
            throws RequestError {
        return read(content, param, stringType, takesEmptyList, (part, at, type) -> part);
    }

    /**
     * @param stringType     the type a string content's one part gets ({@code {"type": stringType, "text": ...}})
     * @param takesEmptyList whether an empty array is taken; if not, it is refused as OpenAI refuses it
     * @return what {@code reader} made of each part, in order
     */
    public static <T> List<T> read(Object content, String param, String stringType, boolean takesEmptyList,
            PartReader<T> reader) throws RequestError {
        if (content == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (content instanceof String text) {
            if (text.isEmpty()) {
                throw new RequestError(OpenAiError.invalidValue(param,
                        "Invalid '" + param + "': empty string. Expected a non-empty string."));
            }
            return List.of(reader.read(Map.of("type", stringType, "text", text), param, stringType));
        }
        if (!(content instanceof List<?> list)) {
            throw typeError(param, "a string or an array of content parts", content);
        }
        if (list.isEmpty() && !takesEmptyList) {
            throw new RequestError(OpenAiError.invalidValue(param,
                    "Invalid '" + param + "': empty array. Expected an array with minimum length 1."));
        }
        List<T> parts = new ArrayList<>(list.size());
        for (int j = 0; j < list.size(); j++) {
            String at = param + "[" + j + "]";
            if (!(list.get(j) instanceof Map<?, ?> part)) {
                throw typeError(at, "an object", list.get(j));
            }
            Object type = part.get("type");
            if (type == null) {
                throw new RequestError(OpenAiError.missingParameter(at + ".type"));
            }
            if (!(type instanceof String typeName)) {
                throw typeError(at + ".type", "a string", type);
            }
            parts.add(reader.read(part, at, typeName));
        }
        return parts;
    }
}
