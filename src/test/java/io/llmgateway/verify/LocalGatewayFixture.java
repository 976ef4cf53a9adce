package io.llmgateway.verify;

import io.llmgateway.config.StackConfig;
import io.llmgateway.config.StackFile;
import io.llmgateway.local.EchoModel;
import io.llmgateway.local.LocalClock;
import io.llmgateway.local.LocalGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The one place these tests touch the local gateway: it writes a stack file, starts the gateway on
 * it with the built-in echo model, and hands out the base URL and keys.
 */
final class LocalGatewayFixture implements AutoCloseable {

    private final LocalGateway gateway;
    private final Path stackFile;

    private LocalGatewayFixture(LocalGateway gateway, Path stackFile) {
        this.gateway = gateway;
        this.stackFile = stackFile;
    }

    /**
     * @param directory   where the stack file goes
     * @param stackYaml   a {@code Pulumi.<stack>.yaml}
     * @param failureRate share of model calls that fail with Bedrock's 503 (0 or 1 in these tests)
     * @param time        the gateway's clock
     */
    static LocalGatewayFixture start(Path directory, String stackYaml, double failureRate, FakeTime time)
            throws IOException {
        Path file = directory.resolve("Pulumi.verify.yaml");
        Files.writeString(file, stackYaml);
        StackConfig config = StackFile.read(file).load().config();
        // Wall time starts at 10:00 UTC tomorrow: a quota window then never ends during a test (its
        // Retry-After is 14 hours less the time slept).
        Instant start = LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(10, 0).toInstant(ZoneOffset.UTC);
        LocalClock clock = new LocalClock() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public Instant now() {
                return time.since(start);
            }
        };
        LocalGateway gateway = LocalGateway.builder(config)
                .model(new EchoModel(Duration.ZERO, failureRate, 1))
                .clock(clock)
                .start();
        return new LocalGatewayFixture(gateway, file);
    }

    String baseUrl() {
        return gateway.baseUrl().toString();
    }

    Map<String, String> apiKeys() {
        return gateway.apiKeys();
    }

    Path stackFile() {
        return stackFile;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
