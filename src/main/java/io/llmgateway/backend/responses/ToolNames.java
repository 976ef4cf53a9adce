package io.llmgateway.backend.responses;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names Converse knows the request's tools by. A {@code namespace} tool (Codex sends one by default,
 * wrapping function tools) is flattened: each function inside it is offered as {@code <namespace>__<name>},
 * which must still be a Converse tool name, and a call to it goes back to the client split again, as
 * {@code name} and {@code namespace}, which is how Codex routes it.
 */
final class ToolNames {

    static final String SEPARATOR = "__";

    /** Converse's name of a namespaced function, to its namespace and name. */
    private final Map<String, String[]> namespaced = new LinkedHashMap<>();

    static String joined(String namespace, String name) {
        return namespace + SEPARATOR + name;
    }

    void addNamespaced(String namespace, String name) {
        namespaced.put(joined(namespace, name), new String[] {namespace, name});
    }

    /** The name a call of this Converse tool has for the client. */
    String name(String converseName) {
        String[] split = namespaced.get(converseName);
        return split == null ? converseName : split[1];
    }

    /** The namespace of a call of this Converse tool, or null for a plain function. */
    String namespace(String converseName) {
        String[] split = namespaced.get(converseName);
        return split == null ? null : split[0];
    }
}
