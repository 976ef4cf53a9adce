package io.llmgateway.verify;

import io.llmgateway.common.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code exec:java@verify}.
 *
 * <p>Keys come from {@code --api-key}/{@code --probe-api-key} or, without them, from the stack's
 * {@code apiKeys} output; {@code --client}/{@code --probe-client} name the clients, which picks their
 * keys from that output and their plans from the stack file.
 */
record Options(
        String baseUrl,
        String apiKey,
        String client,
        String stack,
        Path config,
        String model,
        String embeddingModel,
        int maxTokens,
        int toolMaxTokens,
        int timeoutSeconds,
        int retries,
        boolean probeLimits,
        String probeClient,
        String probeApiKey,
        Double rate,
        Integer burst,
        QuotaOption quota,
        boolean iKnow) {

    /** {@code --quota}: none, or a limit with an optional period. */
    record QuotaOption(Integer limit, String period) {
        static final QuotaOption NONE = new QuotaOption(null, null);
    }

    static final String USAGE = """
            usage: mvn -B -q compile exec:java@verify -Dverify.args="[options]"

            Runs the OpenAI contract a client relies on against a deployed (or local) gateway, with the
            official OpenAI Java SDK, and prints one line per check. Exit code 0 only if no check failed.

            Target (default: ask the Pulumi CLI for the selected stack's baseUrl and apiKeys outputs):
              --base-url URL        the gateway's base URL, ending in /v1 (needs --api-key)
              --api-key KEY         a client's key
              --client NAME         the client to use from the apiKeys output (default: the first enabled);
                                    with a stack file, its plan is what the rate-limit headers must say
              --stack NAME          the Pulumi stack (passed to the CLI; its Pulumi.NAME.yaml gives the plans)
              --config FILE         read the plans from this stack file instead

            Checks:
              --model NAME          chat model (default: the first listed that is not an embedding model)
              --embedding-model NAME
                                    check embeddings with this model (default: the first listed id
                                    containing "embed"; none listed means the check is skipped)
              --max-tokens N        max_completion_tokens of the chat checks (default 16)
              --tool-max-tokens N   max_completion_tokens of the tool calls (default 64)
              --timeout-seconds N   per request (default 60)
              --retries N           retries of a 429 or 503, after Retry-After, as OpenAI SDKs do (default 3)

            Limits (opt-in; spends requests of a dedicated client, never tokens):
              --probe-limits        burst past the plan: expect 429 with Retry-After, compare accepted
                                    requests with burst + rate x time
              --probe-client NAME   the dedicated client (key from apiKeys; plan from the stack file)
              --probe-api-key KEY   its key, given directly
              --rate R --burst B --quota N[/PERIOD]|none
                                    the probed plan's limits, when no stack file gives them
              --i-know              also use up the quota to see 429 insufficient_quota: only for a
                                    quota of at most 100 requests
              --help                show this
            """;

    private static final Set<String> PERIODS = Set.of("DAY", "WEEK", "MONTH");

    /** {@link #USAGE} and, under it, every check with what its pass proves. */
    static String help() {
        StringBuilder s = new StringBuilder(USAGE).append("\nChecks, in order:\n");
        for (Check check : Check.values()) {
            s.append("  ").append(check.label()).append(" ".repeat(VerifyReport.NAME_WIDTH - check.label().length()))
                    .append(check.proves()).append('\n');
        }
        return s.toString();
    }

    /** Parses the arguments; null means --help. */
    static Options parse(String[] args) {
        String baseUrl = null;
        String apiKey = null;
        String client = null;
        String stack = null;
        Path config = null;
        String model = null;
        String embeddingModel = null;
        int maxTokens = 16;
        int toolMaxTokens = 64;
        int timeout = 60;
        int retries = 3;
        boolean probe = false;
        String probeClient = null;
        String probeApiKey = null;
        Double rate = null;
        Integer burst = null;
        QuotaOption quota = null;
        boolean iKnow = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--probe-limits" -> {
                    probe = true;
                    continue;
                }
                case "--i-know" -> {
                    iKnow = true;
                    continue;
                }
                default -> {
                    // every other option takes a value
                }
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + Text.quote(flag) + "; options start with --");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--base-url" -> baseUrl = url(value);
                case "--api-key" -> apiKey = key(flag, value);
                case "--client" -> client = name(flag, value);
                case "--stack" -> {
                    if (!value.matches("[A-Za-z0-9_.\\-/]+")) {
                        throw new IllegalArgumentException("--stack: " + Text.quote(value) + " is not a stack name");
                    }
                    stack = value;
                }
                case "--config" -> config = Path.of(value);
                case "--model" -> model = name(flag, value);
                case "--embedding-model" -> embeddingModel = name(flag, value);
                case "--max-tokens" -> maxTokens = intIn(flag, value, 1, 4096);
                case "--tool-max-tokens" -> toolMaxTokens = intIn(flag, value, 1, 4096);
                case "--timeout-seconds" -> timeout = intIn(flag, value, 1, 600);
                case "--retries" -> retries = intIn(flag, value, 0, 10);
                case "--probe-client" -> probeClient = name(flag, value);
                case "--probe-api-key" -> probeApiKey = key(flag, value);
                case "--rate" -> rate = rate(value);
                case "--burst" -> burst = intIn(flag, value, 1, 5000);
                case "--quota" -> quota = quota(value);
                default -> throw new IllegalArgumentException("unknown option " + Text.quote(flag) + "; --help lists them");
            }
        }
        if ((baseUrl == null) != (apiKey == null)) {
            throw new IllegalArgumentException(baseUrl == null
                    ? "--api-key needs --base-url (or give neither, to read both from the stack's outputs)"
                    : "--base-url needs --api-key (or give neither, to read both from the stack's outputs)");
        }
        if (iKnow && !probe) {
            throw new IllegalArgumentException("--i-know only goes with --probe-limits");
        }
        boolean explicitLimits = rate != null || burst != null || quota != null;
        if (!probe && (probeClient != null || probeApiKey != null || explicitLimits)) {
            throw new IllegalArgumentException("--probe-client, --probe-api-key, --rate, --burst and --quota"
                    + " only go with --probe-limits");
        }
        if (probe) {
            if (probeClient == null && probeApiKey == null) {
                throw new IllegalArgumentException("--probe-limits needs a dedicated client, so that a burst never"
                        + " spends a production client's limits: --probe-client NAME or --probe-api-key KEY");
            }
            if (explicitLimits && (rate == null || burst == null || quota == null)) {
                throw new IllegalArgumentException("--rate, --burst and --quota go together: give all three"
                        + " (--quota none for a plan without one), or none and a stack file");
            }
            if (!explicitLimits && (probeClient == null || (stack == null && config == null))) {
                throw new IllegalArgumentException("--probe-limits needs the probed plan's limits: --probe-client NAME"
                        + " with --stack NAME or --config FILE, or --rate R --burst B --quota N|none");
            }
        }
        return new Options(baseUrl, apiKey, client, stack, config, model, embeddingModel, maxTokens, toolMaxTokens,
                timeout, retries, probe, probeClient, probeApiKey, rate, burst, quota, iKnow);
    }

    /** The file name part of a stack: {@code dev} for {@code my-org/dev}, as Pulumi names its config file. */
    String stackFileName() {
        return stack == null ? null : "Pulumi." + stack.substring(stack.lastIndexOf('/') + 1) + ".yaml";
    }

    private static String url(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("--base-url: " + Text.quote(value) + " is not an http(s) URL such as"
                + " https://abc123.execute-api.eu-west-1.amazonaws.com/prod/v1");
    }

    /** Never echoes the value: it is a secret. */
    private static String key(String flag, String value) {
        if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException(flag + ": a key is printable ASCII without spaces");
        }
        return value;
    }

    private static String name(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " needs a non-empty name");
        }
        return value;
    }

    private static int intIn(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": " + Text.quote(value) + " is not an integer from " + min + " to " + max);
    }

    private static double rate(String value) {
        double r;
        try {
            r = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            r = Double.NaN;
        }
        if (!(r > 0) || r > 10_000) {
            throw new IllegalArgumentException("--rate: " + Text.quote(value) + " is not a rate above 0 and at most"
                    + " 10000 requests per second");
        }
        return r;
    }

    private static QuotaOption quota(String value) {
        if (value.equalsIgnoreCase("none")) {
            return QuotaOption.NONE;
        }
        String[] parts = value.split("/", 2);
        String period = parts.length == 2 ? parts[1].toUpperCase(Locale.ROOT) : "PERIOD";
        if (parts.length == 2 && !PERIODS.contains(period)) {
            throw new IllegalArgumentException("--quota: period " + Text.quote(parts[1]) + " is not DAY, WEEK or MONTH");
        }
        return new QuotaOption(intIn("--quota", parts[0], 1, Integer.MAX_VALUE), period);
    }
}
