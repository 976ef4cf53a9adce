package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI SDK is a compile dependency for this command only: neither Lambda zip that `mvn compile`
 * builds may hold it, its HTTP client, Kotlin, or this package.
 */
class LambdaZipsTest {

    private static final List<String> FORBIDDEN = List.of("com/openai/", "okhttp3/", "okio/", "kotlin/",
            "io/llmgateway/verify/");
    private static final List<String> FORBIDDEN_JARS = List.of("openai-", "okhttp-", "okio-", "kotlin-");

    @Test
    void neitherZipHoldsTheOpenAiSdkOrThisCommand() throws IOException {
        for (String name : List.of("llm-gateway-backend.zip", "llm-gateway-authorizer.zip")) {
            Path zip = Path.of("target", "lambda", name);
            assertThat(zip).as("built by mvn compile").exists();
            List<String> entries = new ArrayList<>();
            List<String> jars = new ArrayList<>();
            try (ZipFile file = new ZipFile(zip.toFile())) {
                for (ZipEntry entry : Collections.list(file.entries())) {
                    entries.add(entry.getName());
                    if (entry.getName().endsWith(".jar")) {
                        jars.add(entry.getName().substring(entry.getName().lastIndexOf('/') + 1));
                        try (ZipInputStream jar = new ZipInputStream(file.getInputStream(entry))) {
                            for (ZipEntry nested; (nested = jar.getNextEntry()) != null; ) {
                                entries.add(nested.getName());
                            }
                        }
                    }
                }
            }
            assertThat(jars).as(name).isNotEmpty().noneMatch(jar -> FORBIDDEN_JARS.stream().anyMatch(jar::startsWith));
            assertThat(entries).as(name).isNotEmpty().noneMatch(e -> FORBIDDEN.stream().anyMatch(e::startsWith));
        }
    }
}
