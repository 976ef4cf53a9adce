package io.llmgateway.testing;

import io.llmgateway.backend.metering.DynamoDbHttp;
import io.llmgateway.common.OwnThread;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * A real DynamoDB-compatible server for tests: dynalite (npm, pinned in {@code src/test/dynalite}),
 * started once per test JVM on a free loopback port, in memory, and stopped when the JVM exits. Each
 * test gets its own table ({@link #newTable()}), shaped like the stack's token table.
 *
 * <p>It needs Node.js 20 or later with npm on the PATH. The first test that needs it installs the
 * pinned package ({@code npm ci --prefix src/test/dynalite}) when it is missing or older than the
 * lockfile, so {@code mvn -B verify} works on a fresh clone. Without Node.js the tests that need it
 * fail, saying so; they never skip.
 */
public final class Dynalite {

    static final Path PACKAGE = Path.of("src", "test", "dynalite");
    static final Path CLI = PACKAGE.resolve("node_modules/dynalite/cli.js");
    public static final String INSTALL_HINT = "install Node.js 20 or later with npm (.ci/run does), or run "
            + "`npm ci --prefix src/test/dynalite` yourself";

    private static Dynalite instance;

    private final Process process;
    private final URI endpoint;

    private Dynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized Dynalite get() {
        if (instance == null) {
            instance = start();
            Dynalite started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> started.process.destroy()));
        }
        return instance;
    }

    /** How many times a start is tried, each on a port of its own, before the tests that need it fail. */
    static final int ATTEMPTS = 3;
    /** A start takes about 130 ms on an idle machine; a start that prints nothing this long is given up. */
    static final long START_SECONDS = 30;

    /**
     * Starts dynalite, trying again on another free port when a start neither listens nor exits within
     * {@link #START_SECONDS}: once, on a loaded machine, a first start printed nothing for 30 s while
     * the next one listened at once (its output is kept for the message, if every try fails).
     */
    private static Dynalite start() {
        installIfNeeded();
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int port = freePort();
            Process process;
            try {
                process = new ProcessBuilder(List.of("node", CLI.toString(), "--host", "127.0.0.1",
                        "--port", Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0",
                        "--updateTableMs", "0"))
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("could not start Node.js (`node` on the PATH) for dynalite: "
                        + e.getMessage() + "; " + INSTALL_HINT, e);
            }
            StringBuffer seen = new StringBuffer();
            // Blocking reads run on threads of their own, never on the common pool (see OwnThread).
            CompletableFuture<String> listening = OwnThread.supply("dynalite-output", () -> {
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.contains("listening")) {
                        // Keep draining, so the server never blocks on a full pipe.
                        OwnThread.supply("dynalite-drain", () -> out.transferTo(java.io.Writer.nullWriter()));
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                out.close();
                throw new IllegalStateException("dynalite exited before listening:\n" + seen);
            });
            try {
                listening.get(START_SECONDS, TimeUnit.SECONDS);
                return new Dynalite(process, URI.create("http://127.0.0.1:" + port));
            } catch (TimeoutException e) {
                process.destroyForcibly();
                failures.add("attempt " + attempt + " on port " + port + ": nothing within " + START_SECONDS + " s"
                        + (seen.length() == 0 ? "" : "; it printed:\n" + seen));
            } catch (ExecutionException e) {
                process.destroyForcibly();
                failures.add("attempt " + attempt + " on port " + port + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting dynalite", e);
            }
        }
        throw new IllegalStateException("dynalite did not start: " + String.join("; ", failures) + "; " + INSTALL_HINT);
    }

    /** {@code npm ci} when the pinned dynalite is missing or older than its lockfile. */
    private static void installIfNeeded() {
        NpmPackage.ensureInstalled(PACKAGE, CLI, INSTALL_HINT);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server, with dummy credentials (dynalite checks their form, not their value). */
    public DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /**
     * The backend's own DynamoDB client ({@link DynamoDbHttp}) for this server, with a generous read
     * timeout: under a test's burst of concurrent requests one Node.js process may answer slowly.
     */
    public DynamoDbHttp http() {
        return new DynamoDbHttp(UrlConnectionHttpClient.builder().socketTimeout(java.time.Duration.ofSeconds(30)).build(),
                endpoint, "us-east-1", StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    /** A new empty table shaped like the stack's token table: string keys {@code pk} and {@code sk}. */
    public String newTable() {
        return newTable("tokens-" + UUID.randomUUID());
    }

    /** A new empty table of this name, shaped like the stack's token table. */
    public String newTable(String name) {
        try (DynamoDbClient client = client()) {
            client.createTable(t -> t.tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
            awaitActive(client, name);
        }
        return name;
    }

    /** A new empty table shaped like the stack's responses table: string key {@code id}. */
    public String newResponsesTable() {
        String name = "responses-" + UUID.randomUUID();
        try (DynamoDbClient client = client()) {
            client.createTable(t -> t.tableName(name)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
            awaitActive(client, name);
        }
        return name;
    }

    /**
     * Even with {@code --createTableMs 0} a new table is CREATING until dynalite's next turn, and an item
     * written before then is refused (ResourceNotFoundException): wait until it is ACTIVE. A setup
     * step, never a measurement; it gives up after 30 s.
     */
    private static void awaitActive(DynamoDbClient client, String name) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.describeTable(d -> d.tableName(name)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + name + " did not become ACTIVE in dynalite");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating table " + name, e);
            }
        }
    }
}
