package io.llmgateway.config;

import java.util.List;

/** Stack config that cannot be deployed. The message lists every problem, one per line, each with its key path. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder text = new StringBuilder("Invalid stack config for '" + ConfigLoader.NAMESPACE + "' ("
                + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "); nothing was created:");
        problems.forEach(p -> text.append("\n  - ").append(p));
        return text.toString();
    }
}
