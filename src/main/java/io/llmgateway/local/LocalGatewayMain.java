package io.llmgateway.local;

import io.llmgateway.backend.BedrockClientFactory;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Text;
import io.llmgateway.config.ConfigException;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Plan;
import io.llmgateway.config.StackFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * {@code mvn -B -q compile exec:java@local}: the whole gateway on 127.0.0.1, from a stack file,
 * with the deployed authorizer and backend handler and API Gateway's limits.
 */
public final class LocalGatewayMain {

    static final String USAGE = """
            Usage: mvn -B -q compile exec:java@local -Dlocal.args="[options]"
              --port N          port on 127.0.0.1 (default 8080; 0 picks a free one)
              --stack NAME      load Pulumi.NAME.yaml (default dev)
              --config FILE     load this stack file instead
              --backend KIND    echo (default: built-in deterministic model, no AWS needed)
                                or bedrock (real Amazon Bedrock; needs AWS credentials)
              --region NAME     Region for --backend bedrock (default: the stack's aws:region)
              --latency-ms N    echo model: add N ms to every call (default 0)
              --fail-rate F     echo model: fail this share of calls, 0-1, with Bedrock's 503 (default 0)
              --help            show this
            """;

    /** Parsed command line. */
    record Options(int port, Path stackFile, String backend, String region, long latencyMs, double failRate) {
    }

    private LocalGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        StackFile stack;
        GatewayConfig config;
        try {
            stack = StackFile.read(options.stackFile());
            ConfigLoader.Result result = stack.load();
            config = result.config();
            result.warnings().forEach(w -> System.err.println("warning: " + w));
        } catch (IOException e) {
            System.err.println("error: cannot read " + options.stackFile() + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (ConfigException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        BedrockRuntimeClient model = model(options, stack);
        LocalGateway gateway = LocalGateway.builder(config).model(model)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()))
                .accessLog(System.out::println).functionLog(System.out::println).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            model.close();
            System.err.println("local gateway stopped");
            stopped.countDown();
        }, "local-gateway-shutdown"));
        banner(System.out, options, gateway);
        stopped.await();
    }

    static Options parse(String[] args) {
        int port = 8080;
        Path file = null;
        String stack = "dev";
        String backend = "echo";
        String region = null;
        long latency = 0;
        double failRate = 0;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = intIn(flag, value, 0, 65535);
                case "--stack" -> {
                    if (!value.matches("[A-Za-z0-9_.-]+")) {
                        throw new IllegalArgumentException("--stack: '" + value + "' is not a stack name");
                    }
                    stack = value;
                }
                case "--config" -> file = Path.of(value);
                case "--backend" -> {
                    if (!value.equals("echo") && !value.equals("bedrock")) {
                        throw new IllegalArgumentException("--backend: '" + value + "' is not allowed; use echo or bedrock");
                    }
                    backend = value;
                }
                case "--region" -> region = value;
                case "--latency-ms" -> latency = intIn(flag, value, 0, 600_000);
                case "--fail-rate" -> {
                    try {
                        failRate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        failRate = -1;
                    }
                    if (!(failRate >= 0 && failRate <= 1)) {
                        throw new IllegalArgumentException("--fail-rate: '" + value + "' is not a number from 0 to 1");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (file == null) {
            file = Path.of("Pulumi." + stack + ".yaml");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("stack file " + file + " not found (run from the project directory, "
                    + "or pass --stack NAME / --config FILE)");
        }
        return new Options(port, file, backend, region, latency, failRate);
    }

    private static int intIn(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": '" + value + "' is not an integer from " + min + " to " + max);
    }

    private static BedrockRuntimeClient model(Options options, StackFile stack) {
        if (options.backend().equals("echo")) {
            return new EchoModel(Duration.ofMillis(options.latencyMs()), options.failRate(), 42);
        }
        String region = options.region();
        if (region == null && stack.other().get("aws:region") instanceof String r) {
            region = r;
        }
        if (region == null) {
            region = System.getenv("AWS_REGION");
        }
        if (region == null) {
            throw new IllegalArgumentException("--backend bedrock needs a Region: pass --region or set aws:region");
        }
        return BedrockClientFactory.create(Region.of(region), DefaultCredentialsProvider.builder().build());
    }

    static void banner(PrintStream out, Options options, LocalGateway gateway) {
        GatewayConfig config = gateway.config();
        String base = gateway.baseUrl().toString();
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("llm-gateway local: API Gateway + Lambda on your machine");
        lines.add("  Stack config  " + options.stackFile() + " (stage '" + config.stageName() + "')");
        lines.add("  Base URL      " + base);
        lines.add("  Backend       " + (options.backend().equals("echo")
                ? "built-in echo model (deterministic; no AWS account needed)"
                + (options.latencyMs() > 0 ? ", +" + options.latencyMs() + " ms" : "")
                + (options.failRate() > 0 ? ", fails " + options.failRate() * 100 + "% of calls" : "")
                : "Amazon Bedrock"));
        lines.add("  Models");
        for (Map.Entry<String, BedrockModelId> m : config.models().entrySet()) {
            lines.add("    " + m.getKey() + " -> " + m.getValue().id());
        }
        lines.add("  Plans");
        for (Plan plan : config.plans().values()) {
            lines.add("    " + plan.name() + ": " + describe(plan));
        }
        lines.add("  Clients and keys" + (gateway.keys().stream().anyMatch(ApiKeys.Key::generated)
                ? " (generated at start; encrypted stack values cannot be read locally)" : ""));
        String example = null;
        for (ApiKeys.Key key : gateway.keys()) {
            lines.add("    " + key.client().name() + " (plan " + key.plan().name() + ", key id " + key.id() + ")"
                    + (key.client().enabled() ? "" : " DISABLED") + ": " + key.value());
            if (example == null && key.client().enabled()) {
                example = key.value();
            }
        }
        String model = config.models().keySet().iterator().next();
        if (example != null) {
            lines.add("  Try it");
            lines.add("    curl -s " + base + "/chat/completions -H 'Authorization: Bearer " + example + "' \\");
            lines.add("      -H 'Content-Type: application/json' \\");
            lines.add("      -d '{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
            lines.add("    Python: OpenAI(base_url=\"" + base + "\", api_key=\"" + example + "\")");
        }
        lines.add("  Limits here are exact; on AWS they are best effort. Ctrl-C stops.");
        lines.add("");
        lines.forEach(out::println);
        out.flush();
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
