package io.llmgateway.local;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.Text;
import io.llmgateway.config.CapacityReport;
import io.llmgateway.config.Plan;
import io.llmgateway.config.StackConfig;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local gateway prints when it starts: where it listens, the stack's models, plans and keys
 * (their values only to a terminal or with {@code --print-keys}), a first call, the capacity report
 * {@code pulumi preview} prints, and the warnings.
 */
final class LocalBanner {

    private LocalBanner() {
    }

    /**
     * @param showKeys whether key values may be printed: to a terminal, or with {@code --print-keys};
     *                 otherwise the banner says where they are
     */
    static void print(PrintStream out, LocalGatewayMain.Options options, LocalGateway gateway, String backend,
                      List<String> warnings, CapacityReport capacity, boolean showKeys) {
        StackConfig config = gateway.config();
        String base = gateway.baseUrl().toString();
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("llm-gateway local: API Gateway + Lambda on your machine");
        lines.add("  Stack config  " + options.stackFile() + " (stage '" + config.stageName() + "')");
        lines.add("  Base URL      " + base);
        lines.add("  Status page   " + gateway.statusUrl() + " (plans, buckets, quotas, token use, refusals)");
        lines.add("  Backend       " + backend);
        lines.add("  Models");
        for (Map.Entry<String, BedrockModelId> m : config.models().entrySet()) {
            lines.add("    " + m.getKey() + " -> " + m.getValue().id());
        }
        lines.add("  Plans");
        for (Plan plan : config.plans().values()) {
            lines.add("    " + plan.name() + ": " + describe(plan));
            String tokens = describeTokens(plan);
            if (!tokens.isEmpty()) {
                lines.add("      " + tokens);
            }
        }
        lines.add("  Token store   " + (options.dynamoDbEndpoint() == null ? "in memory (resets when the gateway stops)"
                : "DynamoDB table " + options.tokenTable() + " at " + options.dynamoDbEndpoint())
                + "; on failure: " + config.tokenStore().failureMode().configName());
        if (config.edge().cors().enabled()) {
            lines.add("  CORS          pages from " + String.join(", ", config.edge().cors().allowedOrigins())
                    + " may call it (OPTIONS preflight answered without a key, as deployed)");
        }
        if (config.api().authorizerCacheTtlSeconds() > 0) {
            lines.add("  Keys          Authorization: Bearer only (authorizer answers cached "
                    + config.api().authorizerCacheTtlSeconds() + " s, as deployed)");
        }
        String keysFile = options.keysFile().toAbsolutePath().normalize().toString();
        lines.add("  Clients and keys (generated once and kept in " + keysFile + " under \""
                + options.stackFile().getFileName() + "\"; delete that entry for new keys)");
        String example = null;
        String exampleClient = null;
        for (ApiKeys.Key key : gateway.keys()) {
            lines.add("    " + key.client().name() + " (plan " + key.plan().name() + ", key id " + key.id() + ")"
                    + (key.client().enabled() ? "" : " DISABLED") + ": "
                    + (showKeys ? key.value() : key.generated() ? "in the keys file" : "as the stack config supplies it"));
            if (example == null && key.client().enabled()) {
                example = showKeys ? key.value() : "$KEY";
                exampleClient = key.client().name();
            }
        }
        if (!showKeys) {
            lines.add("    (key values are not printed: standard output is not a terminal; pass --print-keys to print them)");
        }
        String model = config.models().keySet().iterator().next();
        if (example != null) {
            lines.add("  Try it" + (showKeys ? "" : " (with KEY set to " + exampleClient + "'s key)"));
            lines.add("    curl -s " + base + "/chat/completions -H \"Authorization: Bearer " + example + "\" \\");
            lines.add("      -H 'Content-Type: application/json' \\");
            lines.add("      -d '{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
            lines.add("    Python: OpenAI(base_url=\"" + base + "\", api_key=" + (showKeys ? "\"" + example + "\"" : "KEY") + ")");
        }
        // The capacity report pulumi preview prints, from the same config.
        lines.add("  Capacity");
        for (CapacityReport.Line line : capacity.lines()) {
            lines.add("    " + line);
        }
        for (String warning : warnings) {
            lines.add("  WARNING       " + warning);
        }
        lines.add("  Limits here are exact; on AWS they are best effort. Ctrl-C stops (requests in flight get 5 s to finish).");
        lines.add("");
        lines.forEach(out::println);
        out.flush();
    }

    /** A plan's token limits, allow-list and max_tokens ceiling, or empty when it has none. */
    static String describeTokens(Plan plan) {
        List<String> parts = new ArrayList<>();
        plan.tokens().ifPresent(tokens -> {
            tokens.perMinute().ifPresent(tpm -> parts.add(String.format("%,d tokens/min", tpm)));
            tokens.budget().ifPresent(budget -> parts.add(budget.unit() == BudgetUnit.USD
                    ? "budget $" + BigDecimal.valueOf(budget.limit(), 9).stripTrailingZeros().toPlainString()
                            + "/" + budget.period()
                    : String.format("budget %,d tokens/%s", budget.limit(), budget.period())
                            + (tokens.inputWeight() == 1 && tokens.outputWeight() == 1 ? ""
                            : " (input x" + tokens.inputWeight() + ", output x" + tokens.outputWeight() + ")")));
        });
        plan.models().ifPresent(models -> parts.add("models " + String.join(", ", models)));
        plan.maxTokens().ifPresent(max -> parts.add("max_tokens <= " + max));
        return String.join("; ", parts);
    }

    static String describe(Plan plan) {
        StringBuilder s = new StringBuilder();
        s.append(Text.number(plan.throttle().rateLimit())).append(" req/s, burst ").append(plan.throttle().burstLimit());
        plan.quota().ifPresent(q -> s.append(", quota ").append(q.limit()).append("/").append(q.period())
                .append(q.offset() == 0 ? "" : " (offset " + q.offset() + ")"));
        plan.methodThrottles().forEach((route, t) -> s.append("; ").append(route.throttlePath()).append(": ")
                .append(Text.number(t.rateLimit())).append(" req/s, burst ").append(t.burstLimit()));
        return s.toString();
    }
}
