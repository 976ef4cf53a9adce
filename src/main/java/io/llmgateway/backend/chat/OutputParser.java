package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.chat.ChatRequest.ResponseFormat;
import io.llmgateway.backend.chat.ChatRequest.Tool;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the answer is to be: {@code response_format} (text, any JSON object, or JSON of a schema) and
 * {@code reasoning_effort} (how the model reasons first, as its family takes it: {@link ModelFeatures}).
 */
final class OutputParser {

    /** The forced tool that carries {@code response_format: json_object} where the model has no JSON mode. */
    static final String JSON_OBJECT_TOOL = "json_object";

    private OutputParser() {
    }

    @SuppressWarnings("unchecked")
    static ResponseFormat responseFormat(Object value, List<Tool> tools) throws RequestError {
        if (value == null) {
            return ResponseFormat.TEXT;
        }
        if (!(value instanceof Map<?, ?> format)) {
            throw typeError("response_format", "an object", value);
        }
        Object type = format.get("type");
        if ("text".equals(type)) {
            return ResponseFormat.TEXT;
        }
        if ("json_object".equals(type)) {
            Map<String, Object> anyObject = new LinkedHashMap<>();
            anyObject.put("type", "object");
            return new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, JSON_OBJECT_TOOL,
                    "Answer with a JSON object.", anyObject);
        }
        if (!"json_schema".equals(type)) {
            throw type == null ? new RequestError(OpenAiError.missingParameter("response_format.type"))
                    : new RequestError(OpenAiError.invalidValue("response_format.type", "Invalid value: "
                    + Text.quote(String.valueOf(type)) + ". Supported values are: 'text', 'json_object' and 'json_schema'."));
        }
        if (!(format.get("json_schema") instanceof Map<?, ?> jsonSchema)) {
            throw format.get("json_schema") == null ? new RequestError(OpenAiError.missingParameter("response_format.json_schema"))
                    : typeError("response_format.json_schema", "an object", format.get("json_schema"));
        }
        String name = ToolsParser.toolName(requiredString(jsonSchema, "name", "response_format.json_schema.name"),
                "response_format.json_schema.name");
        if (tools.stream().anyMatch(t -> t.name().equals(name))) {
            throw new RequestError(OpenAiError.invalidValue("response_format.json_schema.name", "The schema's name "
                    + Text.quote(name) + " is also a function's name in 'tools'; give one of them another name."));
        }
        Object description = jsonSchema.get("description");
        if (description != null && !(description instanceof String)) {
            throw typeError("response_format.json_schema.description", "a string", description);
        }
        Object schema = jsonSchema.get("schema");
        Map<String, Object> shape;
        if (schema == null) {
            shape = new LinkedHashMap<>();
            shape.put("type", "object");
        } else if (schema instanceof Map<?, ?> map) {
            shape = (Map<String, Object>) map;
        } else {
            throw typeError("response_format.json_schema.schema", "an object", schema);
        }
        Object strict = jsonSchema.get("strict");
        if (strict != null && !(strict instanceof Boolean)) {
            throw typeError("response_format.json_schema.strict", "a boolean", strict);
        }
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, (String) description, shape);
    }

    static ChatRequest.Reasoning reasoning(Object value, String alias, String modelId, int maxTokens)
            throws RequestError {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String effort)) {
            throw typeError("reasoning_effort", "a string", value);
        }
        if (!ModelFeatures.EFFORTS.contains(effort)) {
            throw new RequestError(OpenAiError.invalidValue("reasoning_effort", "Invalid value: " + Text.quote(effort)
                    + ". Supported values are: " + String.join(", ", ModelFeatures.EFFORTS.stream()
                    .map(e -> "'" + e + "'").toList()) + "."));
        }
        return ModelFeatures.reasoning(alias, modelId, effort, maxTokens);
    }
}
