package io.llmgateway.local;

import io.llmgateway.backend.BedrockClientFactory;
import io.llmgateway.backend.DynamoDbClientFactory;
import io.llmgateway.backend.metering.DynamoDbHttp;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Text;
import io.llmgateway.config.ConfigException;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.StackFile;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * {@code mvn -B -q compile exec:java@local}: the whole gateway on 127.0.0.1, from a stack file,
 * with the deployed authorizer and backend handler and API Gateway's limits.
 *
 * <p>What stops the start (a bad option, a port in use, no usable Region or no credentials for
 * {@code --backend bedrock}) is one line on standard error and exit code 2; a stack file that fails
 * validation exits 2 too, with its problems listed one per line, as {@code pulumi up} lists them.
 * What is doubtful but does not stop it (credentials about to expire, or of unknown expiry; a Region
 * that cannot call a configured inference profile) is a warning in the banner.
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
              --token-delay-ms N
                                echo model: stream one output token every N ms on the streaming
                                routes, 0-60000 (default 0)
              --dynamodb-endpoint URL
                                keep token counters in DynamoDB at URL (e.g. http://127.0.0.1:4567 for
                                dynalite) instead of memory; the table is created when missing and the
                                entitlements written to it (AWS credentials from the default chain)
              --token-table NAME
                                the table for --dynamodb-endpoint (default llm-gateway-local-tokens);
                                never a deployed stack's table
              --keys-file FILE  where generated keys are kept across restarts
                                (default .llm-gateway-local-keys.json, ignored by git)
              --print-keys      print key values in the banner even when standard output is not a
                                terminal (by default they are printed only to a terminal)
              --help            show this
            """;

    /** Credentials that expire sooner than this get a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofMinutes(30);

    /** Parsed command line. */
    record Options(int port, Path stackFile, String backend, String region, long latencyMs, double failRate,
                   URI dynamoDbEndpoint, String tokenTable, Path keysFile, boolean printKeys, long tokenDelayMs) {
        Options(int port, Path stackFile, String backend, String region, long latencyMs, double failRate) {
            this(port, stackFile, backend, region, latencyMs, failRate, null, LocalTokenTable.DEFAULT_TABLE,
                    LocalKeyFile.DEFAULT, false, 0);
        }
    }

    /**
     * What the launcher reads from outside the process, so tests can give it their own.
     *
     * @param variables   environment variables ({@code AWS_REGION}, {@code AWS_PROFILE})
     * @param credentials the credentials for {@code --backend bedrock}
     * @param clock       for credential expiry
     * @param interactive whether standard output is a terminal ({@code System.console() != null}): key
     *                    values are printed only there, never into a log pipeline
     */
    record Environment(Map<String, String> variables, Supplier<AwsCredentialsProvider> credentials, Clock clock,
                       boolean interactive) {
        static Environment system() {
            return new Environment(System.getenv(), () -> DefaultCredentialsProvider.builder().build(), Clock.systemUTC(),
                    System.console() != null);
        }
    }

    /** A start that cannot go on; its one line is already on standard error. */
    static final class Exit extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    /** The model the backend calls, how the banner describes it, and what is doubtful about it. */
    record Backend(BedrockRuntimeClient model, String description, List<String> warnings,
                   BedrockRuntimeAsyncClient streams) {
        Backend(BedrockRuntimeClient model, String description, List<String> warnings) {
            this(model, description, warnings, null);
        }
    }

    /** A started gateway and the model client it owns. */
    record Running(LocalGateway gateway, BedrockRuntimeClient model) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            model.close();
        }
    }

    private LocalGatewayMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // exec:java runs without an SLF4J binding (the project ships none at runtime), and SLF4J says
        // so in three lines on stderr the moment the AWS SDK starts: noise around a one-line error.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        Running running;
        try {
            running = start(args, Environment.system(), System.out, System.err);
        } catch (Exit e) {
            System.exit(e.code());
            return;
        }
        if (running == null) {
            return; // --help
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            System.err.println("local gateway stopped");
            stopped.countDown();
        }, "local-gateway-shutdown"));
        stopped.await();
    }

    /**
     * Parses, loads the stack, prepares the backend, starts the gateway and prints the banner.
     *
     * @return the running gateway, or null after {@code --help}
     * @throws Exit after printing one line to {@code err}
     */
    static Running start(String[] args, Environment environment, PrintStream out, PrintStream err) throws Exit {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            throw fail(err, e.getMessage() + " (--help lists the options)");
        }
        if (options == null) {
            out.print(USAGE);
            return null;
        }
        StackFile stack;
        ConfigLoader.Result loaded;
        try {
            stack = StackFile.read(options.stackFile());
            loaded = stack.load();
        } catch (IOException e) {
            throw fail(err, "cannot read " + options.stackFile() + ": " + e.getMessage());
        } catch (ConfigException e) {
            throw fail(err, e.getMessage());
        }
        Backend backend = backend(options, stack, loaded.config(), environment, err);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port());
        LocalGateway gateway;
        try {
            LocalGateway.Builder builder = LocalGateway.builder(loaded.config()).model(backend.model()).address(address)
                    .keyFile(options.keysFile(), options.stackFile().getFileName().toString())
                    .accessLog(System.out::println).functionLog(System.out::println);
            if (backend.streams() != null) {
                builder.streams(backend.streams());
            }
            if (options.dynamoDbEndpoint() != null) {
                String region = stack.other().get("aws:region") instanceof String r ? r : "us-east-1";
                DynamoDbHttp dynamo = DynamoDbClientFactory.create(options.dynamoDbEndpoint(), Region.of(region),
                        environment.credentials().get());
                builder.tokenStore(items -> LocalTokenTable.open(dynamo, options.tokenTable(), items));
            }
            gateway = builder.start();
        } catch (BindException e) {
            backend.model().close();
            throw fail(err, "port " + options.port() + " on " + address.getAddress().getHostAddress()
                    + " is in use; pass --port N (0 picks a free port)");
        } catch (LocalKeyFile.Unusable e) {
            backend.model().close();
            throw fail(err, e.getMessage());
        } catch (DynamoDbHttp.Failure | IllegalStateException e) {
            backend.model().close();
            throw fail(err, "cannot prepare the token table " + options.tokenTable() + " at " + options.dynamoDbEndpoint()
                    + ": " + Text.truncate(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            backend.model().close();
            throw fail(err, "cannot listen on " + address.getAddress().getHostAddress() + ":" + options.port() + ": " + e.getMessage());
        }
        List<String> warnings = new ArrayList<>(loaded.warnings());
        warnings.addAll(backend.warnings());
        LocalBanner.print(out, options, gateway, backend.description(), warnings, loaded.capacity(),
                options.printKeys() || environment.interactive());
        return new Running(gateway, backend.model());
    }

    private static Exit fail(PrintStream err, String message) {
        err.println("error: " + message);
        err.flush();
        return new Exit(2);
    }

    static Options parse(String[] args) {
        int port = 8080;
        Path file = null;
        String stack = "dev";
        String backend = "echo";
        String region = null;
        long latency = 0;
        long tokenDelay = 0;
        double failRate = 0;
        URI dynamoDb = null;
        String tokenTable = LocalTokenTable.DEFAULT_TABLE;
        Path keysFile = LocalKeyFile.DEFAULT;
        boolean printKeys = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (flag.equals("--print-keys")) {
                printKeys = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = intIn(flag, value, 0, 65535);
                case "--stack" -> {
                    if (!value.matches("[A-Za-z0-9_.-]+")) {
                        throw new IllegalArgumentException("--stack: " + Text.quote(value) + " is not a stack name");
                    }
                    stack = value;
                }
                case "--config" -> file = Path.of(value);
                case "--backend" -> {
                    if (!value.equals("echo") && !value.equals("bedrock")) {
                        throw new IllegalArgumentException("--backend: " + Text.quote(value) + " is not allowed; use echo or bedrock");
                    }
                    backend = value;
                }
                case "--region" -> region = value;
                case "--latency-ms" -> latency = intIn(flag, value, 0, 600_000);
                case "--token-delay-ms" -> tokenDelay = intIn(flag, value, 0, 60_000);
                case "--fail-rate" -> {
                    try {
                        failRate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        failRate = -1;
                    }
                    if (!(failRate >= 0 && failRate <= 1)) {
                        throw new IllegalArgumentException("--fail-rate: " + Text.quote(value) + " is not a number from 0 to 1");
                    }
                }
                case "--dynamodb-endpoint" -> {
                    try {
                        dynamoDb = URI.create(value);
                    } catch (IllegalArgumentException e) {
                        dynamoDb = null;
                    }
                    if (dynamoDb == null || dynamoDb.getHost() == null
                            || !(dynamoDb.getScheme().equals("http") || dynamoDb.getScheme().equals("https"))) {
                        throw new IllegalArgumentException("--dynamodb-endpoint: " + Text.quote(value)
                                + " is not an http(s) URL, e.g. http://127.0.0.1:4567");
                    }
                }
                case "--token-table" -> {
                    if (!value.matches("[A-Za-z0-9_.-]{3,255}")) {
                        throw new IllegalArgumentException("--token-table: " + Text.quote(value)
                                + " is not a DynamoDB table name (3-255 letters, digits, '_', '-', '.')");
                    }
                    tokenTable = value;
                }
                case "--keys-file" -> {
                    keysFile = Path.of(value);
                    if (Files.isDirectory(keysFile)) {
                        throw new IllegalArgumentException("--keys-file: " + Text.quote(value) + " is a directory; name a file");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + Text.truncate(flag));
            }
        }
        if (file == null) {
            file = Path.of("Pulumi." + stack + ".yaml");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("stack file " + file + " not found (run from the project directory, "
                    + "or pass --stack NAME / --config FILE)");
        }
        return new Options(port, file, backend, region, latency, failRate, dynamoDb, tokenTable, keysFile, printKeys,
                tokenDelay);
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
        throw new IllegalArgumentException(flag + ": " + Text.quote(value) + " is not an integer from " + min + " to " + max);
    }

    private static Backend backend(Options options, StackFile stack, StackConfig config, Environment environment,
                                   PrintStream err) throws Exit {
        if (options.backend().equals("echo")) {
            String description = "built-in echo model (deterministic; no AWS account needed)"
                    + (options.latencyMs() > 0 ? ", +" + options.latencyMs() + " ms" : "")
                    + (options.tokenDelayMs() > 0 ? ", one streamed token every " + options.tokenDelayMs() + " ms" : "")
                    + (options.failRate() > 0 ? ", fails " + Text.number(options.failRate() * 100) + "% of calls" : "");
            return new Backend(new EchoModel(Duration.ofMillis(options.latencyMs()), options.failRate(), 42,
                    Duration.ofMillis(options.tokenDelayMs())), description, List.of());
        }
        String stackRegion = stack.other().get("aws:region") instanceof String r ? r : null;
        String region;
        String source;
        if (options.region() != null) {
            region = options.region();
            source = "--region";
        } else if (stackRegion != null) {
            region = stackRegion;
            source = "aws:region in " + options.stackFile();
        } else if (environment.variables().get("AWS_REGION") != null) {
            region = environment.variables().get("AWS_REGION");
            source = "AWS_REGION";
        } else {
            throw fail(err, "--backend bedrock needs a Region: pass --region NAME or set aws:region in "
                    + options.stackFile());
        }
        if (!knownRegion(region)) {
            throw fail(err, source + ": " + Text.quote(region) + " is not an AWS Region this SDK knows "
                    + "(for example us-east-1, us-west-2, eu-west-1, ap-northeast-1)");
        }
        List<String> warnings = new ArrayList<>();
        if (options.region() != null && stackRegion != null && !stackRegion.equals(region)) {
            warnings.add("--region " + region + " is not the stack's aws:region " + stackRegion
                    + ": the deployed stack calls Bedrock in " + stackRegion);
        }
        for (Map.Entry<String, BedrockModelId> m : config.models().entrySet()) {
            Optional<BedrockModelId.Geography> geography = m.getValue().geography();
            if (geography.isPresent() && !geography.get().servesFrom(region)) {
                warnings.add("model " + m.getKey() + " (" + m.getValue().id() + ") is a '" + geography.get().prefix()
                        + "' inference profile, which " + region + " cannot call");
            }
        }
        AwsCredentialsProvider provider = environment.credentials().get();
        AwsCredentials credentials;
        try {
            credentials = provider.resolveCredentials();
        } catch (RuntimeException e) {
            String profile = environment.variables().getOrDefault("AWS_PROFILE", "default");
            String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            // The default chain's own message lists every provider it tried: too long for one line,
            // and the list below says the same. Any other cause (an expired SSO session) is shown.
            throw fail(err, "--backend bedrock needs AWS credentials and found none (environment, profile "
                    + Text.quote(profile) + ", SSO, container or instance role; try aws configure or aws sso login)"
                    + (cause.startsWith("Unable to load credentials from any of the providers") ? "" : ": " + Text.truncate(cause)));
        }
        // Not credentials.providerName(): in this SDK it is a short code ("e" for static credentials), not a name.
        Optional<Instant> expiry = credentials.expirationTime();
        Instant now = environment.clock().instant();
        if (expiry.isPresent()) {
            long minutes = Duration.between(now, expiry.get()).toMinutes();
            if (!expiry.get().isAfter(now)) {
                warnings.add("the AWS credentials expired at " + expiry.get().truncatedTo(ChronoUnit.SECONDS)
                        + ": Bedrock calls will fail until they are refreshed");
            } else if (Duration.between(now, expiry.get()).compareTo(EXPIRY_WARNING) < 0) {
                warnings.add("the AWS credentials expire at " + expiry.get().truncatedTo(ChronoUnit.SECONDS)
                        + " (in " + minutes + " min): Bedrock calls fail after that unless they are refreshed");
            }
        } else if (credentials instanceof AwsSessionCredentials) {
            warnings.add("the AWS credentials are temporary (a session token) and their expiry is unknown: "
                    + "Bedrock calls fail once they expire");
        }
        BedrockRuntimeClient model;
        BedrockRuntimeAsyncClient streams;
        try {
            model = BedrockClientFactory.create(Region.of(region), provider);
            // The streaming routes call ConverseStream, on the client the Lambda uses.
            streams = BedrockClientFactory.streamingBuilder(Region.of(region), provider).build();
        } catch (RuntimeException e) {
            throw fail(err, "cannot create the Bedrock client for " + region + ": " + Text.truncate(String.valueOf(e.getMessage())));
        }
        String description = "Amazon Bedrock in " + region
                + expiry.map(e -> " (credentials expire " + e.truncatedTo(ChronoUnit.SECONDS) + ")").orElse("");
        return new Backend(model, description, warnings, streams);
    }

    /** A Region the SDK has endpoint metadata for; the partition-wide global pseudo-Regions do not serve Bedrock. */
    static boolean knownRegion(String region) {
        return Region.regions().stream().anyMatch(r -> !r.isGlobalRegion() && r.id().equals(region));
    }
}
