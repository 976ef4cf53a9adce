package io.llmgateway.backend.responses;

import io.llmgateway.backend.chat.ChatRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated Responses API request: the chat request it maps to (so Converse is called exactly as for
 * chat completions), and what the answer echoes back.
 *
 * @param chat   the Converse request's pieces: system, turns, tools, tool choice, output format, reasoning
 * @param names  the client's names of the Converse tools (namespaced functions)
 * @param echoed the request's settings as the Response object repeats them ({@code instructions},
 *               {@code tools}, {@code tool_choice}, {@code text}, {@code reasoning}, {@code metadata}, ...)
 * @param stream answer with server-sent events
 */
record ResponsesRequest(ChatRequest chat, ToolNames names, Map<String, Object> echoed, boolean stream) {

    ResponsesRequest {
        echoed = Collections.unmodifiableMap(new LinkedHashMap<>(echoed));
    }
}
