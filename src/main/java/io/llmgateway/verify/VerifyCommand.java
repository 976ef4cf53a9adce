package io.llmgateway.verify;

import io.llmgateway.common.Text;
import io.llmgateway.config.Client;
import io.llmgateway.config.ConfigException;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Plan;
import io.llmgateway.config.StackFile;
import io.llmgateway.contract.RateLimits;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment check, as a function of its arguments and environment: resolves the target (the
 * options, or the stack's outputs through the Pulumi CLI), runs the checks, prints the table and
 * returns the exit code.
 */
final class VerifyCommand {

    /**
     * What the command touches besides the network.
     *
     * @param out       the table and summary
     * @param err       errors
     * @param pulumi    runs the Pulumi CLI
     * @param time      clock and sleep
     * @param directory where {@code Pulumi.<stack>.yaml} files are
     */
    record Environment(PrintStream out, PrintStream err, PulumiCli.Runner pulumi, Time time, Path directory) {
        static Environment system() {
            return new Environment(System.out, System.err, PulumiCli.PROCESS, Time.SYSTEM, Path.of(""));
        }
    }

    /** Who sends the requests. */
    private record Caller(String client, String key, String source) {
    }

    private VerifyCommand() {
    }

    static int run(String[] args, Environment env) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            env.err().println("error: " + e.getMessage());
            env.err().println("(--help lists the options)");
            return 2;
        }
        if (options == null) {
            env.out().print(Options.help());
            return 0;
        }
        try {
            return run(options, env);
        } catch (VerifyException e) {
            env.err().println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int run(Options options, Environment env) throws VerifyException {
        boolean needOutputs = options.baseUrl() == null || (options.probeLimits() && options.probeApiKey() == null);
        PulumiCli.Outputs outputs = needOutputs ? PulumiCli.outputs(env.pulumi(), options.stack()) : null;
        Path stackFile = stackFile(options, outputs, env.directory());
        StackConfig config = stackFile == null ? null : load(stackFile);

        String baseUrl = options.baseUrl() != null ? options.baseUrl() : outputs.baseUrl();
        Caller caller = caller(options, outputs, config);
        Caller prober = null;
        LimitProbe.Limits limits = null;
        LimitProbe.Decision decision = null;
        if (options.probeLimits()) {
            prober = prober(options, outputs);
            if (prober.key().equals(caller.key())) {
                throw new VerifyException("--probe-limits needs a dedicated client, not the one the checks use ("
                        + caller.client() + "): add a client on a small plan for probing");
            }
            limits = limits(options, config, stackFile);
            try {
                decision = LimitProbe.decide(limits, options.iKnow());
            } catch (IllegalArgumentException e) {
                throw new VerifyException(e.getMessage());
            }
        }
        Plan plan = planOf(config, caller.client());

        PrintStream out = env.out();
        out.println("llm-gateway verify");
        out.println("  Base URL   " + baseUrl + (outputs != null && options.baseUrl() == null
                ? " (output baseUrl of stack " + (outputs.stack() != null ? Text.quote(outputs.stack()) : "selected") + ")" : ""));
        out.println("  Client     " + (caller.client() != null ? caller.client() + ", " : "") + "key "
                + VerifyReport.mask(caller.key()) + " (" + caller.source() + ")");
        if (plan != null) {
            out.println("  Plan       " + plan.name() + " (" + stackFile + ")");
        }
        if (prober != null) {
            out.println("  Probe      " + (prober.client() != null ? prober.client() + ", " : "") + "key "
                    + VerifyReport.mask(prober.key()) + "; " + limits.source() + ", " + limits.quotaText() + "; "
                    + decision.offered() + " requests" + (decision.quotaProbe() ? ", then the quota" : ""));
        }
        out.flush();

        List<CheckResult> results = new ArrayList<>();
        long tokens;
        int retried;
        String model;
        try (Session session = new Session(baseUrl, Duration.ofSeconds(options.timeoutSeconds()), options.retries(),
                env.time())) {
            Conformance conformance = new Conformance(session, new Conformance.Settings(caller.key(), options.model(),
                    options.embeddingModel(), options.maxTokens(), options.toolMaxTokens()));
            results.addAll(conformance.run());
            model = conformance.model();
            if (prober != null) {
                LimitProbe probe = new LimitProbe(session, prober.key(), limits);
                results.add(probe.throttle(decision.offered()));
                results.add(decision.quotaProbe() ? probe.quota() : CheckResult.skip(Check.LIMITS_QUOTA,
                        limits.quota() == null ? "the plan has no quota" : "the quota is spent only with --i-know"));
            } else {
                results.add(CheckResult.skip(Check.LIMITS_THROTTLE, "opt-in: --probe-limits"));
                results.add(CheckResult.skip(Check.LIMITS_QUOTA, "opt-in: --probe-limits --i-know"));
            }
            results.addAll(HeaderChecks.all(session.seen(), planRequestsPerMinute(plan)));
            tokens = session.tokens();
            retried = session.retried();
        }
        out.println("  Model      " + (model == null ? "(none)" : model + (options.model() != null ? ""
                : " (the first chat model listed; --model NAME to choose)")));
        out.println();
        VerifyReport.table(results).forEach(out::println);
        out.println();
        out.println(VerifyReport.summary(results, tokens, retried));
        out.flush();
        return results.stream().anyMatch(CheckResult::failed) ? 1 : 0;
    }

    /** {@code --config}, else {@code Pulumi.<stack>.yaml} of {@code --stack} or of the selected stack, when it exists. */
    static Path stackFile(Options options, PulumiCli.Outputs outputs, Path directory) throws VerifyException {
        if (options.config() != null) {
            if (!Files.isRegularFile(options.config())) {
                throw new VerifyException("--config: " + options.config() + " is not a file");
            }
            return options.config();
        }
        String stack = options.stack() != null ? options.stack() : outputs != null ? outputs.stack() : null;
        if (stack == null) {
            return null;
        }
        Path file = directory.resolve("Pulumi." + stack.substring(stack.lastIndexOf('/') + 1) + ".yaml");
        return Files.isRegularFile(file) ? file : null;
    }

    private static StackConfig load(Path file) throws VerifyException {
        try {
            return StackFile.read(file).load().config();
        } catch (IOException e) {
            throw new VerifyException("cannot read " + file + ": " + e.getMessage());
        } catch (ConfigException e) {
            throw new VerifyException(file + ": " + e.getMessage());
        }
    }

    private static Caller caller(Options options, PulumiCli.Outputs outputs, StackConfig config)
            throws VerifyException {
        if (options.apiKey() != null) {
            return new Caller(options.client(), options.apiKey(), "--api-key");
        }
        if (options.client() != null) {
            return new Caller(options.client(), keyOf(outputs, options.client(), "--client"),
                    "from the apiKeys output");
        }
        for (String client : outputs.apiKeys().keySet()) {
            Client c = config == null ? null : config.clients().get(client);
            if (c == null || c.enabled()) {
                return new Caller(client, outputs.apiKeys().get(client), "the first " + (config == null ? "" : "enabled ")
                        + "client of the apiKeys output; --client NAME to choose");
            }
        }
        throw new VerifyException("every client in the apiKeys output is disabled in the stack file: enable one,"
                + " or pass --client NAME");
    }

    private static Caller prober(Options options, PulumiCli.Outputs outputs) throws VerifyException {
        if (options.probeApiKey() != null) {
            return new Caller(options.probeClient(), options.probeApiKey(), "--probe-api-key");
        }
        return new Caller(options.probeClient(), keyOf(outputs, options.probeClient(), "--probe-client"),
                "from the apiKeys output");
    }

    private static String keyOf(PulumiCli.Outputs outputs, String client, String option) throws VerifyException {
        String key = outputs.apiKeys().get(client);
        if (key == null) {
            throw new VerifyException(option + ": no client " + Text.quote(client) + " in the apiKeys output; it has "
                    + Text.truncate(String.join(", ", outputs.apiKeys().keySet())));
        }
        return key;
    }

    private static LimitProbe.Limits limits(Options options, StackConfig config, Path stackFile)
            throws VerifyException {
        if (options.rate() != null) {
            Options.QuotaOption q = options.quota();
            return new LimitProbe.Limits(options.rate(), options.burst(), q.limit(), q.period(),
                    "--rate " + Text.number(options.rate()) + " --burst " + options.burst());
        }
        if (config == null) {
            throw new VerifyException("--probe-limits: no stack file to read the plan of " + Text.quote(options.probeClient())
                    + " from (" + (options.stack() != null ? options.stackFileName() + " not found" : "pass --stack NAME"
                    + " or --config FILE") + "); or give --rate R --burst B --quota N|none");
        }
        Plan plan = planOf(config, options.probeClient());
        if (plan == null) {
            throw new VerifyException("--probe-client: no client " + Text.quote(options.probeClient()) + " in "
                    + stackFile);
        }
        return LimitProbe.Limits.of(config, plan);
    }

    private static Plan planOf(StackConfig config, String client) {
        if (config == null || client == null || !config.clients().containsKey(client)) {
            return null;
        }
        return config.planOf(config.clients().get(client));
    }

    /** Per route, what {@code x-ratelimit-limit-requests} must say for a caller on this plan. */
    static Map<String, Long> planRequestsPerMinute(Plan plan) {
        Map<String, Long> rates = new LinkedHashMap<>();
        if (plan != null) {
            for (Route route : Route.values()) {
                rates.put(route.method() + " " + route.path(),
                        RateLimits.requestsPerMinute(plan.throttleFor(route).rateLimit()));
            }
        }
        return rates;
    }
}
